# One INTERFACE target carries the house compile policy; every project target links it.
add_library(dd_policy INTERFACE)
target_compile_definitions(dd_policy INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_USE_QSTRINGBUILDER
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_FOREACH
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_DISABLE_DEPRECATED_UP_TO=0x060400)
target_compile_options(dd_policy INTERFACE -Wall -Wextra -pedantic -Wshadow=local -Wnon-virtual-dtor)
if(DD_WERROR)
    target_compile_options(dd_policy INTERFACE -Werror)
endif()
