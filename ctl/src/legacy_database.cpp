#include "legacy_database.hpp"

#include "ctl_error.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

namespace b3s::ctl {

namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

/// libpq's message on one line, without its trailing newline. libpq names host and port
/// in its messages, never the password.
std::string messageOf(const PGconn* conn) {
    std::string text = PQerrorMessage(conn);
    std::string out;
    for (const char c : text) {
        if (c == '\n' || c == '\r') {
            if (!out.empty() && out.back() != ' ') out += "; ";
        } else {
            out += c;
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
    return out;
}

Result query(PGconn* conn, const char* sql, const std::string& what) {
    Result result(PQexec(conn, sql), &PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        throw CtlError("cannot read " + what + " from the b3scale database: " + messageOf(conn));
    return result;
}

std::string text(const PGresult* r, int row, int column) {
    return PQgetvalue(r, row, column);
}

std::optional<std::string> nullableText(const PGresult* r, int row, int column) {
    if (PQgetisnull(r, row, column)) return std::nullopt;
    return text(r, row, column);
}

bool exists(PGconn* conn, const char* sql) {
    const auto r = query(conn, sql, "the schema");
    return PQntuples(r.get()) > 0;
}

}  // namespace

LegacyRows readLegacyDatabase(const std::string& conninfo) {
    // The caller's own settings come later and win, except dbname, which carries the URL.
    const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"10", "b3scalectl-import", conninfo.c_str(), nullptr};
    Connection conn(PQconnectdbParams(keywords, values, /*expand_dbname=*/1), &PQfinish);
    if (!conn) throw CtlError("cannot connect to the b3scale database: out of memory");
    if (PQstatus(conn.get()) != CONNECTION_OK)
        throw CtlError("cannot connect to the b3scale database: " + messageOf(conn.get()));

    // One snapshot for both tables, and nothing this session could write.
    query(conn.get(), "START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", "a snapshot");
    for (const char* table : {"frontends", "backends"})
        if (!exists(conn.get(), (std::string("SELECT 1 FROM information_schema.tables WHERE table_name = '") + table +
                                 "' AND table_schema = current_schema()")
                                    .c_str()))
            throw CtlError(std::string("this is no b3scale database: it has no table ") + table);
    const bool has_agent_ref =
        exists(conn.get(),
               "SELECT 1 FROM information_schema.columns WHERE table_name = 'backends' AND column_name = 'agent_ref' "
               "AND table_schema = current_schema()");

    LegacyRows rows;
    const auto frontends =
        query(conn.get(), "SELECT key, secret, active, account_ref, settings::text FROM frontends ORDER BY key",
              "the frontends");
    for (int i = 0; i < PQntuples(frontends.get()); ++i) {
        LegacyFrontend f;
        f.key = text(frontends.get(), i, 0);
        f.secret = text(frontends.get(), i, 1);
        f.active = text(frontends.get(), i, 2) == "t";
        f.account_ref = nullableText(frontends.get(), i, 3);
        f.settings_json = nullableText(frontends.get(), i, 4).value_or("{}");
        rows.frontends.push_back(std::move(f));
    }

    const std::string backend_sql =
        std::string("SELECT host, secret, settings::text, load_factor::text, admin_state::text, node_state::text, ") +
        (has_agent_ref ? "agent_ref" : "NULL::text") + " FROM backends ORDER BY host";
    const auto backends = query(conn.get(), backend_sql.c_str(), "the backends");
    for (int i = 0; i < PQntuples(backends.get()); ++i) {
        LegacyBackend b;
        b.host = text(backends.get(), i, 0);
        b.secret = text(backends.get(), i, 1);
        b.settings_json = nullableText(backends.get(), i, 2).value_or("{}");
        b.load_factor = std::strtod(text(backends.get(), i, 3).c_str(), nullptr);
        b.admin_state = text(backends.get(), i, 4);
        b.node_state = text(backends.get(), i, 5);
        b.agent_ref = nullableText(backends.get(), i, 6);
        rows.backends.push_back(std::move(b));
    }
    query(conn.get(), "COMMIT", "the end of the snapshot");
    return rows;
}

}  // namespace b3s::ctl
