#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrlQuery>

namespace dd {

/// One HTTP/1.1 request as the lab's servers read it.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; ///< as sent: path and query
    QByteArray path;   ///< target without the query
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; ///< names lower-cased, in arrival order
    QByteArray body;
    QByteArray peerAddress; ///< "127.0.0.1" or "::1"

    /// The first value of header `name` (lower case), or an empty array.
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first == name)
                return h.second;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first == name)
                return true;
        }
        return false;
    }
};

/// What a lab server does with a request: answer it, or misbehave in one of the ways a real backend does.
struct HttpResponse
{
    enum class Action {
        Respond, ///< write the response and close the connection
        Upgrade, ///< write the (101) response and keep the connection open
        Hang,    ///< never answer; keep the connection open
        Close,   ///< close the connection without a byte (FIN)
        Reset,   ///< reset the connection without a byte (RST)
    };

    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers; ///< besides Content-Length, Date and Connection
    QByteArray body;
    Action action = Action::Respond;

    static HttpResponse make(int status, const QByteArray &contentType, const QByteArray &body)
    {
        HttpResponse response;
        response.status = status;
        response.headers.append({QByteArrayLiteral("Content-Type"), contentType});
        response.body = body;
        return response;
    }
    static HttpResponse json(int status, const QByteArray &body)
    {
        return make(status, QByteArrayLiteral("application/json; charset=utf-8"), body);
    }
    static HttpResponse withAction(Action action)
    {
        HttpResponse response;
        response.action = action;
        return response;
    }
};

} // namespace dd
