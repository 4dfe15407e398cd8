#pragma once

#include "byteview.h"
#include "logformat.h"
#include "logtime.h"

#include <QByteArrayView>

#include <array>

namespace dd {

/// One log record split into views of its bytes: what parsers produce and rules read. It owns
/// nothing, so parsing a line allocates nothing; views stay valid while the line's buffer does.
struct ParsedRecord
{
    struct Field
    {
        QByteArrayView name;
        QByteArrayView value;
        bool jsonEscaped = false; ///< the value is the raw text of a JSON string
    };
    static constexpr int maxFields = 32;

    LogFormat format = LogFormat::Text;
    logtime::Stamp time;    ///< as written; the classifier converts it to UTC
    QByteArrayView record;  ///< the whole record, prefixes included
    QByteArrayView body;    ///< the record after docker/compose/journald prefixes
    QByteArrayView message; ///< the free text rules look at (all of `body` when unparsed)
    QByteArrayView level;
    int errnum = -1; ///< errno nginx/Apache printed, -1 when absent
    int status = -1; ///< HTTP status where the format has one
    std::array<Field, maxFields> fields;
    int fieldCount = 0;

    /// Resets to an empty record; the field slots are reused, not cleared.
    void clear()
    {
        format = LogFormat::Text;
        time = {};
        record = body = message = level = QByteArrayView();
        errnum = -1;
        status = -1;
        fieldCount = 0;
    }
    void add(QByteArrayView name, QByteArrayView value, bool jsonEscaped = false)
    {
        if (fieldCount < maxFields && !value.isEmpty())
            fields[size_t(fieldCount++)] = Field{name, value, jsonEscaped};
    }
    const Field *find(QByteArrayView name) const
    {
        for (int i = 0; i < fieldCount; ++i) {
            if (fields[size_t(i)].name == name)
                return &fields[size_t(i)];
        }
        return nullptr;
    }
    QByteArrayView field(QByteArrayView name) const
    {
        const Field *f = find(name);
        return f ? f->value : QByteArrayView();
    }
};

} // namespace dd
