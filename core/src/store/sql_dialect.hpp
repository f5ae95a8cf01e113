#pragma once
// What differs between the two SQL connectors, so SqlStore is written once: placeholders,
// column types in migrations, session set-up, transaction start and error classification.
// No Poco::Data here (it compiles slowly); errors arrive as the exception's name and text.

#include "store/database_url.hpp"
#include "store/store_error.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::store {

/// A database failure, classified.
struct DbFailure {
    StoreError::Kind kind = StoreError::Kind::Internal;
    std::string sqlstate;          ///< PostgreSQL only; empty when unknown
    bool connection_lost = false;  ///< the session is unusable and must be dropped
    std::string message;           ///< one line, no row values, safe to show
};

/// What a caught Poco::Exception said, without dragging Poco::Data into this header.
struct FailureReport {
    std::string name;     ///< Poco::Exception::name()
    std::string text;     ///< displayText()
    bool connect_failed;  ///< Poco::Data::ConnectionFailedException (opening failed)
    bool session_good;    ///< Session::isGood() after the failure
};

class SqlDialect {
public:
    virtual ~SqlDialect() = default;

    virtual ConnectorKind kind() const = 0;
    /// Poco connector name: "postgresql" or "sqlite".
    virtual std::string_view connectorName() const = 0;
    /// SQL written once with `?` placeholders, in this connector's spelling.
    virtual std::string sql(std::string_view portable) const = 0;
    /// Statements run once on every new session, in order.
    virtual std::vector<std::string> sessionSetup() const = 0;
    /// Starts a write transaction. Empty: use Session::begin() (PostgreSQL, one round trip).
    virtual std::string beginWriteSql() const = 0;
    /// First statement of every migration transaction: serialises concurrent migrators.
    /// Empty when beginning the transaction already does (SQLite's BEGIN IMMEDIATE).
    virtual std::string migrationLockSql() const = 0;
    /// Query returning 1 when the __meta__ table exists, else 0.
    virtual std::string metaTableExistsSql() const = 0;
    virtual DbFailure classify(const FailureReport& report) const = 0;

    // Migration vocabulary.
    virtual std::string uuidType() const = 0;
    virtual std::string boolType() const = 0;
    virtual std::string bigintType() const = 0;
    virtual std::string doubleType() const = 0;
    /// JSON column with a validity check; `json_kind` is "object" or "array" or empty (any).
    virtual std::string jsonColumn(std::string_view column, std::string_view json_kind, bool nullable,
                                   std::string_view default_json) const = 0;
    /// Column definitions of an auto-incrementing sequence number plus the text uuid id.
    virtual std::string commandsKeyColumns() const = 0;
    /// Appended after a CREATE TABLE's closing parenthesis.
    virtual std::string tableSuffix() const = 0;
    /// `CAST(? AS jsonb)` or `?`: binds a JSON text where the type could be ambiguous.
    virtual std::string jsonParam() const = 0;
    /// ` FOR UPDATE SKIP LOCKED` where rows can be claimed concurrently (PostgreSQL); empty
    /// where writers are serialised anyway (SQLite: BEGIN IMMEDIATE, one process).
    virtual std::string skipLockedSuffix() const = 0;
    /// ` FOR UPDATE` where a row read must stay as read until commit (PostgreSQL); empty where
    /// writers are serialised anyway (SQLite).
    virtual std::string forUpdateSuffix() const = 0;
    /// ` COLLATE "C"` (PostgreSQL) or empty (SQLite, whose default is already BINARY): text
    /// compared and ordered byte by byte, as std::string is, whatever the database's locale;
    /// it also lets a btree index serve a LIKE prefix.
    virtual std::string binaryCollation() const = 0;
    /// A condition with one placeholder that holds when `column` starts with the text bound
    /// as prefixPattern(prefix), case-sensitively and with no wildcard in the prefix.
    /// PostgreSQL: LIKE with an ESCAPE clause; SQLite: GLOB (its LIKE ignores ASCII case).
    virtual std::string prefixCondition(std::string_view column) const = 0;
    /// The value to bind to prefixCondition(): `prefix` with the wildcards quoted, then `%` or `*`.
    virtual std::string prefixPattern(std::string_view prefix) const = 0;
};

std::unique_ptr<SqlDialect> makeDialect(ConnectorKind kind);

/// Rewrites `?` to `$1..$n`, leaving quoted literals, quoted identifiers and comments alone.
std::string toNumberedPlaceholders(std::string_view sql);

/// The SQLSTATE in a Poco PostgreSQL error text (`… State: 23505 …`), if any.
std::optional<std::string> sqlstateFromText(std::string_view text);

/// Maps a SQLSTATE to a kind and whether the connection is gone.
DbFailure classifySqlstate(std::string_view sqlstate);

}  // namespace b3s::core::store
