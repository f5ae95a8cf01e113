#include "store/sql_dialect.hpp"

#include <fmt/format.h>

namespace b3s::core::store {
namespace {

using Kind = StoreError::Kind;

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

// First line of a driver message, without Poco's "PostgreSQL: [PostgreSQL]: " prefix.
// Later lines (DETAIL, the failing row) may carry column values such as secrets.
std::string firstLine(std::string_view text) {
    for (std::string_view prefix : {"PostgreSQL: [PostgreSQL]: ", "PostgreSQL: "}) {
        if (text.substr(0, prefix.size()) == prefix) {
            text.remove_prefix(prefix.size());
            break;
        }
    }
    auto line = text.substr(0, text.find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    return std::string(line);
}

std::string constraintOf(std::string_view text) {
    constexpr std::string_view key = "Constraint: ";
    const auto pos = text.rfind(key);
    if (pos == std::string_view::npos) return {};
    auto name = text.substr(pos + key.size());
    name = name.substr(0, name.find_first_of(" \n"));
    return name == "N/A" ? std::string() : std::string(name);
}

class PostgresDialect final : public SqlDialect {
public:
    ConnectorKind kind() const override { return ConnectorKind::Postgres; }
    std::string_view connectorName() const override { return "postgresql"; }
    std::string sql(std::string_view portable) const override { return toNumberedPlaceholders(portable); }
    std::vector<std::string> sessionSetup() const override {
        // TimeZone again because a URL with its own `options` replaces ours; nothing stored
        // depends on it (timestamps are epoch microseconds) but server-side defaults would.
        return {
            "SELECT set_config('TimeZone', 'UTC', false), "
            "set_config('client_min_messages', 'warning', false)",
        };
    }
    std::string beginWriteSql() const override { return {}; }
    std::string migrationLockSql() const override {
        // Transaction-scoped: released by COMMIT/ROLLBACK, even if the process dies.
        // The key is "b3scale" in ASCII read as a big-endian integer.
        return "SELECT pg_advisory_xact_lock(27641118399229029)";
    }
    std::string metaTableExistsSql() const override {
        return "SELECT CASE WHEN to_regclass('__meta__') IS NULL THEN 0 ELSE 1 END";
    }
    DbFailure classify(const FailureReport& r) const override {
        DbFailure f;
        if (auto st = sqlstateFromText(r.text)) {
            f = classifySqlstate(*st);
            f.sqlstate = *st;
        }
        const bool lost_by_text =
            contains(r.text, "server closed the connection") || contains(r.text, "no connection to the server") ||
            contains(r.text, "terminating connection") || contains(r.text, "could not receive data from server") ||
            contains(r.text, "could not send data to server") || contains(r.text, "connection to server at");
        if (r.connect_failed || !r.session_good || (f.sqlstate.empty() && lost_by_text)) {
            f.kind = Kind::Unavailable;
            f.connection_lost = true;
        }
        f.message = firstLine(r.text);
        if (auto c = constraintOf(r.text); !c.empty()) f.message += " (constraint " + c + ")";
        return f;
    }

    std::string uuidType() const override { return "uuid"; }
    std::string boolType() const override { return "boolean"; }
    std::string bigintType() const override { return "bigint"; }
    std::string doubleType() const override { return "double precision"; }
    std::string jsonColumn(std::string_view column, std::string_view json_kind, bool nullable,
                           std::string_view default_json) const override {
        std::string def = fmt::format("{} jsonb {}", column, nullable ? "NULL" : "NOT NULL");
        if (!default_json.empty()) def += fmt::format(" DEFAULT '{}'", default_json);
        if (!json_kind.empty()) def += fmt::format(" CHECK (jsonb_typeof({}) = '{}')", column, json_kind);
        return def;
    }
    std::string commandsKeyColumns() const override { return "id uuid PRIMARY KEY, seq bigserial NOT NULL UNIQUE"; }
    std::string tableSuffix() const override { return {}; }
    std::string jsonParam() const override { return "CAST(? AS jsonb)"; }
    std::string skipLockedSuffix() const override { return " FOR UPDATE SKIP LOCKED"; }
    std::string forUpdateSuffix() const override { return " FOR UPDATE"; }
    std::string binaryCollation() const override { return " COLLATE \"C\""; }
    // standard_conforming_strings is on (the default since 9.1): '\' is one backslash.
    std::string prefixCondition(std::string_view column) const override {
        return fmt::format("{} LIKE ? ESCAPE '\\'", column);
    }
    std::string prefixPattern(std::string_view prefix) const override {
        std::string out;
        out.reserve(prefix.size() + 8);
        for (const char c : prefix) {
            if (c == '\\' || c == '%' || c == '_') out += '\\';
            out += c;
        }
        out += '%';
        return out;
    }
};

class SqliteDialect final : public SqlDialect {
public:
    ConnectorKind kind() const override { return ConnectorKind::Sqlite; }
    std::string_view connectorName() const override { return "sqlite"; }
    std::string sql(std::string_view portable) const override { return std::string(portable); }
    std::vector<std::string> sessionSetup() const override {
        // busy_timeout first: switching to WAL needs a lock another opener may hold.
        return {
            "PRAGMA busy_timeout = 10000",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
        };
    }
    // IMMEDIATE takes the write lock up front; a DEFERRED transaction that later writes
    // fails with SQLITE_BUSY at once instead of waiting out busy_timeout.
    std::string beginWriteSql() const override { return "BEGIN IMMEDIATE"; }
    std::string migrationLockSql() const override { return {}; }
    std::string metaTableExistsSql() const override {
        return "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__meta__'";
    }
    DbFailure classify(const FailureReport& r) const override {
        DbFailure f;
        f.message = firstLine(r.text);
        const auto& t = r.text;
        if (contains(t, "UNIQUE constraint failed") || contains(t, "PRIMARY KEY constraint failed")) {
            f.kind = Kind::Conflict;
        } else if (contains(t, "constraint failed") || r.name == "Constraint violation" ||
                   contains(t, "datatype mismatch") || contains(t, "cannot store")) {
            f.kind = Kind::Invalid;
        } else if (contains(t, "database is locked") || contains(t, "database table is locked") ||
                   contains(t, "busy")) {
            f.kind = Kind::Unavailable;
        } else if (r.connect_failed || !r.session_good || contains(t, "unable to open database") ||
                   contains(t, "disk I/O error") || contains(t, "malformed") || contains(t, "readonly database")) {
            f.kind = Kind::Unavailable;
            f.connection_lost = true;
        }
        return f;
    }

    std::string uuidType() const override { return "TEXT"; }
    std::string boolType() const override { return "INTEGER"; }
    std::string bigintType() const override { return "INTEGER"; }
    std::string doubleType() const override { return "REAL"; }
    std::string jsonColumn(std::string_view column, std::string_view json_kind, bool nullable,
                           std::string_view default_json) const override {
        std::string def = fmt::format("{} TEXT {}", column, nullable ? "NULL" : "NOT NULL");
        if (!default_json.empty()) def += fmt::format(" DEFAULT '{}'", default_json);
        // json_valid(NULL) is 0, not NULL: a nullable column says so explicitly.
        const std::string null_ok = nullable ? fmt::format("{} IS NULL OR ", column) : std::string();
        if (json_kind.empty())
            def += fmt::format(" CHECK ({}json_valid({}))", null_ok, column);
        else
            def += fmt::format(" CHECK ({0}(json_valid({1}) AND json_type({1}) = '{2}'))", null_ok, column, json_kind);
        return def;
    }
    // AUTOINCREMENT only exists on the INTEGER PRIMARY KEY, so seq is the key and id unique.
    std::string commandsKeyColumns() const override {
        return "seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE";
    }
    // STRICT: a value of the wrong type is an error, as in PostgreSQL, not silently stored.
    std::string tableSuffix() const override { return " STRICT"; }
    std::string jsonParam() const override { return "?"; }
    std::string skipLockedSuffix() const override { return {}; }
    std::string forUpdateSuffix() const override { return {}; }
    std::string binaryCollation() const override { return {}; }
    std::string prefixCondition(std::string_view column) const override { return fmt::format("{} GLOB ?", column); }
    // GLOB has no escape character: a wildcard is quoted as a one-character set ([*]).
    std::string prefixPattern(std::string_view prefix) const override {
        std::string out;
        out.reserve(prefix.size() + 8);
        for (const char c : prefix) {
            if (c == '*' || c == '?' || c == '[') {
                out += '[';
                out += c;
                out += ']';
            } else {
                out += c;
            }
        }
        out += '*';
        return out;
    }
};

}  // namespace

std::unique_ptr<SqlDialect> makeDialect(ConnectorKind kind) {
    if (kind == ConnectorKind::Sqlite) return std::make_unique<SqliteDialect>();
    return std::make_unique<PostgresDialect>();
}

std::string toNumberedPlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int next = 1;
    std::size_t i = 0;
    // Copies from i up to and including the first `close` after `from`, or to the end.
    auto copyThrough = [&](std::string_view close, std::size_t from) {
        auto end = sql.find(close, from);
        end = end == std::string_view::npos ? sql.size() : end + close.size();
        out.append(sql.substr(i, end - i));
        i = end;
    };
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            // A doubled quote inside a literal is an escaped quote: two adjacent literals
            // copy to the same text, so scanning them separately is equivalent.
            copyThrough(std::string_view(&sql[i], 1), i + 1);
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            copyThrough("\n", i + 2);
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            copyThrough("*/", i + 2);
        } else if (c == '?') {
            out += '$';
            out += std::to_string(next++);
            ++i;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

std::optional<std::string> sqlstateFromText(std::string_view text) {
    constexpr std::string_view key = "State: ";
    const auto pos = text.find(key);
    if (pos == std::string_view::npos) return std::nullopt;
    const auto code = text.substr(pos + key.size(), 5);
    if (code.size() != 5) return std::nullopt;
    for (char ch : code)
        if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z'))) return std::nullopt;
    return std::string(code);
}

DbFailure classifySqlstate(std::string_view st) {
    DbFailure f;
    f.sqlstate = std::string(st);
    const auto cls = st.substr(0, 2);
    if (st == "23505") {
        f.kind = Kind::Conflict;
    } else if (cls == "23" || cls == "22") {
        f.kind = Kind::Invalid;  // not null, foreign key, check, exclusion; bad data
    } else if (cls == "08" || st == "57P01" || st == "57P02" || st == "57P03") {
        f.kind = Kind::Unavailable;
        f.connection_lost = true;
    } else if (cls == "53" || st == "40001" || st == "40P01" || st == "55P03") {
        f.kind = Kind::Unavailable;  // resources, serialization, deadlock, lock: try again
    }
    return f;
}

}  // namespace b3s::core::store
