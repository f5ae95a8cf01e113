#pragma once
// B3SCALE_DB_URL parsing: which connector, the connection string Poco::Data wants, and a
// description safe for logs. Pure functions; nothing here touches a database.

#include <string>
#include <string_view>

namespace b3s::core::store {

enum class ConnectorKind { Postgres, Sqlite };

struct DatabaseTarget {
    ConnectorKind kind = ConnectorKind::Postgres;
    /// PostgreSQL: libpq `key=value` pairs in the form Poco's connector accepts.
    /// SQLite: the absolute file path.
    std::string connection_string;
    /// For logs: the URL with any password replaced by `***`.
    std::string description;
    /// The password, kept only to scrub it from error texts; empty when none.
    std::string password;
};

/// Accepted forms (anything else is StoreError(Invalid) naming B3SCALE_DB_URL):
///  - `postgres://…` / `postgresql://…` URLs and libpq `key=value` strings. Both go through
///    libpq's own parser (PQconninfoParse), so percent-encoding, IPv6 hosts and query
///    parameters behave exactly as in psql. Added unless already set:
///    application_name=b3scaled, connect_timeout=`connect_timeout_s`, options=-cTimeZone=UTC.
///    Values containing blanks, quotes or backslashes are refused: Poco splits the string
///    on single spaces and cannot carry them.
///  - `sqlite:///absolute/path.db`: everything after `sqlite://` is the file path and must be
///    absolute (so the three slashes). Relative paths are refused because a daemon's working
///    directory is arbitrary (systemd starts it in /).
/// No message ever contains the password.
DatabaseTarget parseDatabaseUrl(std::string_view url, int connect_timeout_s);

/// `url` with the password masked: `postgres://lb:***@host/db`, `password=*** host=…`.
std::string maskDatabaseUrl(std::string_view url);

/// `text` with every occurrence of `secret` replaced by `***` (no-op for an empty secret).
std::string redactSecret(std::string text, std::string_view secret);

}  // namespace b3s::core::store
