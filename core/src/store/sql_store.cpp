#include "store/sql_store.hpp"

#include "store/connection_pool.hpp"
#include "store/postgres_change_feed.hpp"
#include "store/sql_dialect.hpp"
#include "store/sqlite_files.hpp"
#include "store/sqlite_instance_lock.hpp"
#include "store/table_maps.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>
#include <Poco/Tuple.h>
#include <Poco/UUIDGenerator.h>

#include <fmt/format.h>

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <variant>

namespace b3s::core::store {
namespace {

using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Kind = StoreError::Kind;
using NullableText = Poco::Nullable<std::string>;

NullableText nullable(const std::optional<std::string>& v) {
    return v ? NullableText(*v) : NullableText();
}

// Statement helpers. Every value is bound by copy (bind()), so temporaries are fine.
template <class... Params>
std::size_t execute(Session& s, const std::string& sql, const Params&... params) {
    Statement st(s);
    st << sql;
    (st.addBind(bind(params)), ...);
    return st.execute();
}

template <class Row, class... Params>
std::vector<Row> select(Session& s, const std::string& sql, const Params&... params) {
    std::vector<Row> rows;  // always a vector: several rows into a scalar is an error in Poco
    Statement st(s);
    st << sql;
    st.addExtract(into(rows));
    (st.addBind(bind(params)), ...);
    st.execute();
    return rows;
}

// Rows mapped by name (table_maps.hpp): one typed vector per column of the map, each bound
// with its own into() in the map's order, which is the order selectList(map) names them in
// (the into()s of one statement take consecutive columns).
template <class Column, class Stored, class Row>
void readColumn(const Column& column, std::vector<Stored>& values, std::vector<Row>& rows) {
    using Codec = typename Column::CodecType;
    if (values.size() != rows.size())
        throw StoreError(Kind::Internal, fmt::format("column {} came back with {} values for {} rows", column.name,
                                                     values.size(), rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if constexpr (std::is_same_v<Stored, bool>)
            Codec::read(bool(values[i]), rows[i].*column.member);  // std::vector<bool> hands out no bool&
        else
            Codec::read(std::move(values[i]), rows[i].*column.member);
    }
    std::vector<Stored>().swap(values);  // a reload of every meeting holds one column less at a time
}

template <class Map, class Values, std::size_t... I>
std::vector<typename Map::RowType> readRows(const Map& map, Values& values, std::index_sequence<I...>) {
    std::vector<typename Map::RowType> rows(std::get<0>(values).size());
    (readColumn(std::get<I>(map.columns), std::get<I>(values), rows), ...);
    return rows;
}

/// `SELECT <selectList(map)> FROM <table> <rest>`, in portable spelling.
template <class Map>
std::string selectFrom(const Map& map, std::string_view rest) {
    return fmt::format("SELECT {} FROM {} {}", selectList(map), map.table, rest);
}

/// Every row `sql` selects, its parameters bound by `bind_params(statement)`; its columns
/// must be selectList(map) (see selectFrom()).
template <class Map, class BindParams>
std::vector<typename Map::RowType> selectRowsBoundBy(Session& s, const Map& map, const std::string& sql,
                                                     BindParams&& bind_params) {
    auto values = std::apply(
        [](const auto&... column) {
            return std::tuple<std::vector<typename std::decay_t<decltype(column)>::CodecType::Stored>...>();
        },
        map.columns);
    Statement st(s);
    st << sql;
    std::apply([&](auto&... column_values) { (st.addExtract(into(column_values)), ...); }, values);
    bind_params(st);
    st.execute();
    return readRows(map, values, std::make_index_sequence<std::tuple_size_v<decltype(values)>>());
}

/// Every row `sql` selects; its columns must be selectList(map) (see selectFrom()).
template <class Map, class... Params>
std::vector<typename Map::RowType> selectRows(Session& s, const Map& map, const std::string& sql,
                                              const Params&... params) {
    return selectRowsBoundBy(s, map, sql, [&](Statement& st) { (st.addBind(bind(params)), ...); });
}

/// The parameters of a statement whose SQL is built at run time (a list of any length is
/// one placeholder per value, never SQL text made from a value), bound in the order added.
/// Values, not bindings, are kept: a Poco binding belongs to the statement it was bound to,
/// and one list serves two statements (a page and its count).
class ParamList {
public:
    using Value = std::variant<std::string, Poco::Int64>;
    ParamList& add(Value v) {
        values_.push_back(std::move(v));
        return *this;
    }
    std::size_t size() const { return values_.size(); }
    void bindTo(Statement& st) const {
        for (const auto& v : values_) std::visit([&](const auto& x) { st.addBind(bind(x)); }, v);
    }

private:
    std::vector<Value> values_;
};

template <class Map>
std::vector<typename Map::RowType> selectRowsWith(Session& s, const Map& map, const std::string& sql,
                                                  const ParamList& params) {
    return selectRowsBoundBy(s, map, sql, [&](Statement& st) { params.bindTo(st); });
}

template <class Row>
std::vector<Row> selectWith(Session& s, const std::string& sql, const ParamList& params) {
    std::vector<Row> rows;
    Statement st(s);
    st << sql;
    st.addExtract(into(rows));
    params.bindTo(st);
    st.execute();
    return rows;
}

std::size_t executeWith(Session& s, const std::string& sql, const ParamList& params) {
    Statement st(s);
    st << sql;
    params.bindTo(st);
    return st.execute();
}

/// `?, ?, ?`: `n` placeholders.
std::string placeholders(std::size_t n) {
    std::string out;
    out.reserve(n * 3);
    for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
    return out;
}

/// The first row `sql` selects, if any.
template <class Map, class... Params>
std::optional<typename Map::RowType> selectRow(Session& s, const Map& map, const std::string& sql,
                                               const Params&... params) {
    auto rows = selectRows(s, map, sql, params...);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

/// Runs `sql`, an insertSql(map) or an UPDATE whose SET starts with updateSetList(map): binds
/// the columns of `row` that `statement` writes, in the map's order, then `params`.
template <class Map, class... Params>
std::size_t executeRow(Session& s, const Map& map, WriteStatement statement, const typename Map::RowType& row,
                       const std::string& sql, const Params&... params) {
    Statement st(s);
    st << sql;
    forEachColumn(map, [&](const auto& column) {
        using Codec = typename std::decay_t<decltype(column)>::CodecType;
        if (writes(statement, column.written)) st.addBind(bind(Codec::write(row.*column.member)));
    });
    (st.addBind(bind(params)), ...);
    return st.execute();
}

std::string newUuid() {
    return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

void registerConnectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::PostgreSQL::Connector::registerConnector();
        Poco::Data::SQLite::Connector::registerConnector();
    });
}

bool sessionGood(ConnectionPool::Lease& lease) {
    try {
        return lease.session().isGood();
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

std::string canonicalUuid(std::string_view id) {
    if (id.size() != 36) return {};
    std::string out(id);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const auto c = static_cast<unsigned char>(out[i]);
        if (dash ? c != '-' : !std::isxdigit(c)) return {};
        out[i] = static_cast<char>(std::tolower(c));
    }
    return out;
}

SqlStore::SqlStore(DatabaseTarget target, const StoreOptions& options, const Clock& clock)
    : SqlStore(target, options, clock, schemaMigrations(*makeDialect(target.kind))) {}

SqlStore::SqlStore(DatabaseTarget target, const StoreOptions& options, const Clock& clock,
                   std::vector<Migration> migrations)
    : target_(std::move(target)),
      instance_lock_(target_.kind == ConnectorKind::Sqlite ? SqliteInstanceLock::acquire(target_.connection_string)
                                                           : nullptr),
      options_(options),
      clock_(clock),
      dialect_(makeDialect(target_.kind)),
      migrations_(std::move(migrations)) {
    registerConnectors();
    // Before the first connection: SQLite gives the files it creates the database file's mode.
    if (target_.kind == ConnectorKind::Sqlite) makeSqliteFilesPrivate(target_.connection_string);
    pool_ = std::make_unique<ConnectionPool>([this] { return openSession(); }, options_.pool_size,
                                             std::chrono::milliseconds(options_.acquire_timeout_ms));
}

SqlStore::~SqlStore() = default;

Session SqlStore::openSession() {
    if (target_.kind == ConnectorKind::Postgres) {
        // Poco 1.11's PostgreSQL SessionHandle::connect never PQfinish()es a connection
        // that failed, leaking ~17 KB per attempt; during an outage every request would
        // try. PQping cleans up after itself, so a server that is down, starting or
        // shutting down is answered here without touching Poco. (A server that accepts
        // connections but rejects the login still goes through Poco; that is a
        // configuration error and b3scaled refuses to start with it.)
        const PGPing ping = PQping(target_.connection_string.c_str());
        if (ping != PQPING_OK) {
            const char* why = ping == PQPING_REJECT        ? "it is starting up or shutting down"
                              : ping == PQPING_NO_RESPONSE ? "no response"
                                                           : "unusable connection parameters";
            throw StoreError(Kind::Unavailable,
                             fmt::format("the database {} is not accepting connections: {}", target_.description, why));
        }
    }
    Session s(std::string(dialect_->connectorName()), target_.connection_string,
              static_cast<std::size_t>(options_.connect_timeout_s > 0 ? options_.connect_timeout_s : 5));
    for (const auto& statement : dialect_->sessionSetup()) {
        // Two connections switching a new SQLite file to WAL at once: one gets "database
        // is locked" at once, without busy_timeout (deadlock avoidance). Try again briefly.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (auto pause = std::chrono::milliseconds(5);; pause = std::min(pause * 2, std::chrono::milliseconds(100))) {
            try {
                execute(s, statement);
                break;
            } catch (const Poco::Exception& e) {
                const auto failure = dialect_->classify(FailureReport{e.name(), e.displayText(), false, true});
                const bool transient = failure.kind == Kind::Unavailable && !failure.connection_lost;
                if (!transient || std::chrono::steady_clock::now() + pause > deadline) throw;
                std::this_thread::sleep_for(pause);
            }
        }
    }
    return s;
}

std::string SqlStore::sql(std::string_view portable) const {
    return dialect_->sql(portable);
}

template <class Body>
auto SqlStore::run(std::string_view operation, Access access, Body&& body) {
    using Result = std::invoke_result_t<Body&, Session&>;
    const bool write = access == Access::Write;
    const bool session_transactions = dialect_->beginWriteSql().empty();
    // Timed as a whole (pool wait, retries, commit), however it ends.
    struct Timed {
        const metrics::Histogram* histogram;
        std::string_view operation;
        std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
        ~Timed() {
            if (!histogram) return;
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
            histogram->observe({std::string(operation)}, took.count());
        }
    } timed{query_timer_.load(), operation};

    // Leaves no transaction behind on a session that goes back to the pool.
    auto abandon = [&](std::optional<ConnectionPool::Lease>& lease, bool in_tx) {
        if (!lease || !in_tx) return;
        try {
            if (session_transactions)
                lease->session().rollback();
            else
                execute(lease->session(), "ROLLBACK");
        } catch (const Poco::Exception&) {
            // A session that cannot roll back is closed, which rolls back server-side.
            lease->discard();
        }
    };

    for (int attempt = 0;; ++attempt) {
        std::optional<ConnectionPool::Lease> lease;
        bool in_tx = false;
        bool commit_sent = false;
        try {
            // After a lost connection the repeat must not pick another old idle session.
            lease.emplace(pool_->acquire(/*fresh=*/attempt > 0));
            Session& session = lease->session();
            if (write) {
                if (session_transactions)
                    session.begin();
                else
                    execute(session, dialect_->beginWriteSql());
                in_tx = true;
            }
            Result result = body(session);
            if (write) {
                commit_sent = true;
                if (session_transactions)
                    session.commit();
                else
                    execute(session, "COMMIT");
                in_tx = false;
            }
            return result;
        } catch (const StoreError&) {
            abandon(lease, in_tx);
            throw;
        } catch (const Poco::Exception& e) {
            const FailureReport report{e.name(), e.displayText(),
                                       dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e) != nullptr,
                                       lease ? sessionGood(*lease) : true};
            const auto failure = dialect_->classify(report);
            const auto message = redactSecret(failure.message, target_.password);
            if (failure.connection_lost) {
                const bool reused = lease && lease->reused();
                if (lease) pool_->connectionLost(*lease);
                if (attempt == 0 && reused && !commit_sent) continue;
                throw StoreError(Kind::Unavailable,
                                 commit_sent ? fmt::format("{}: connection lost while committing, the outcome "
                                                           "is unknown: {}",
                                                           operation, message)
                                             : fmt::format("{}: database unavailable: {}", operation, message),
                                 failure.sqlstate);
            }
            abandon(lease, in_tx);
            throw StoreError(failure.kind, fmt::format("{}: {}", operation, message), failure.sqlstate);
        } catch (const std::exception& e) {
            abandon(lease, in_tx);
            throw StoreError(Kind::Internal,
                             fmt::format("{}: {}", operation, redactSecret(e.what(), target_.password)));
        }
    }
}

std::string_view SqlStore::connectorName() const {
    return dialect_->connectorName();
}

bool SqlStore::supportsSeveralInstances() const {
    return target_.kind == ConnectorKind::Postgres;
}

std::string SqlStore::describe() const {
    return target_.description;
}

void SqlStore::ping() {
    run("ping", Access::Read, [&](Session& s) { return select<int>(s, "SELECT 1").size(); });
}

SchemaStatus SqlStore::schemaStatus() {
    SchemaStatus status;
    status.latest = migrations_.empty() ? 0 : migrations_.back().version;
    run("schemaStatus", Access::Read, [&](Session& s) {
        const auto exists = select<int>(s, dialect_->metaTableExistsSql());
        if (exists.empty() || exists.front() == 0) return 0;
        auto row = selectRow(s, kSchemaVersionRows, selectFrom(kSchemaVersionRows, "ORDER BY version DESC LIMIT 1"));
        if (!row) return 0;
        row->latest = status.latest;
        status = std::move(*row);
        return 0;
    });
    return status;
}

namespace {

StoreError newerSchema(int current, int latest) {
    return StoreError(Kind::SchemaMismatch,
                      fmt::format("the database schema is at version {} but this b3scaled knows only up to "
                                  "version {}; upgrade b3scaled",
                                  current, latest));
}

}  // namespace

bool SqlStore::migrateOne(const Migration& m, int latest) {
    return run("migrate", Access::Write, [&](Session& s) {
        // Under the lock (or BEGIN IMMEDIATE) a second migrator waits here, then sees the
        // version the first one recorded and skips.
        if (const auto lock = dialect_->migrationLockSql(); !lock.empty()) execute(s, lock);
        execute(s, metaTableDdl(*dialect_));
        const auto rows = select<int>(s, "SELECT COALESCE(MAX(version), 0) FROM __meta__");
        const int current = rows.empty() ? 0 : rows.front();
        if (current > latest) throw newerSchema(current, latest);
        if (current >= m.version) return false;
        for (const auto& statement : m.statements) execute(s, statement);
        SchemaStatus applied;
        applied.current = m.version;
        applied.description = m.description;
        applied.applied_at = clock_.nowMicros();
        executeRow(s, kSchemaVersionRows, WriteStatement::Insert, applied,
                   sql(insertSql(kSchemaVersionRows, dialect_->jsonParam())));
        return true;
    });
}

std::vector<int> SqlStore::migrate() {
    const auto status = schemaStatus();
    if (status.current > status.latest) throw newerSchema(status.current, status.latest);
    std::vector<int> applied;
    for (const auto& m : migrations_) {
        if (m.version <= status.current) continue;
        if (migrateOne(m, status.latest)) applied.push_back(m.version);
    }
    return applied;
}

// ---------------------------------------------------------------------------------------
// Backends

Backend SqlStore::insertBackend(const Backend& b) {
    const auto id = newUuid();
    const auto now = clock_.nowMicros();
    Backend row = b;
    row.id = id;
    row.created_at = row.updated_at = row.synced_at = now;
    row.version = 1;
    row.poll_seq = 0;
    return run("insertBackend", Access::Write, [&](Session& s) {
        executeRow(s, kBackendRows, WriteStatement::Insert, row, sql(insertSql(kBackendRows, dialect_->jsonParam())));
        auto inserted = selectRow(s, kBackendRows, sql(selectFrom(kBackendRows, "WHERE id = ?")), id);
        if (!inserted) throw StoreError(Kind::Internal, "insertBackend: the new row is not readable");
        return std::move(*inserted);
    });
}

std::optional<Backend> SqlStore::findBackend(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return std::nullopt;
    return run("findBackend", Access::Read, [&](Session& s) -> std::optional<Backend> {
        return selectRow(s, kBackendRows, sql(selectFrom(kBackendRows, "WHERE id = ?")), key);
    });
}

std::vector<Backend> SqlStore::listBackends() {
    return run("listBackends", Access::Read, [&](Session& s) {
        return selectRows(s, kBackendRows, sql(selectFrom(kBackendRows, "ORDER BY host, id")));
    });
}

std::optional<Backend> SqlStore::updateBackend(const Backend& b) {
    const auto key = canonicalUuid(b.id);
    if (key.empty()) return std::nullopt;
    Backend row = b;
    row.updated_at = clock_.nowMicros();
    return run("updateBackend", Access::Write, [&](Session& s) -> std::optional<Backend> {
        const auto changed =
            executeRow(s, kBackendRows, WriteStatement::Update, row,
                       sql(fmt::format("UPDATE backends SET {}, version = version + 1 WHERE id = ? AND version = ?",
                                       updateSetList(kBackendRows, dialect_->jsonParam()))),
                       key, Poco::Int64(b.version));
        if (changed == 0) {
            if (select<int>(s, sql("SELECT 1 FROM backends WHERE id = ?"), key).empty()) return std::nullopt;
            throw StoreError(Kind::Stale, fmt::format("updateBackend: backend {} changed since version {} was read",
                                                      key, b.version));
        }
        return selectRow(s, kBackendRows, sql(selectFrom(kBackendRows, "WHERE id = ?")), key);
    });
}

bool SqlStore::deleteBackend(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return false;
    return run("deleteBackend", Access::Write,
               [&](Session& s) { return execute(s, sql("DELETE FROM backends WHERE id = ?"), key) > 0; });
}

// ---------------------------------------------------------------------------------------
// Frontends

Frontend SqlStore::insertFrontend(const Frontend& f) {
    const auto id = newUuid();
    const auto now = clock_.nowMicros();
    Frontend row = f;
    row.id = id;
    row.created_at = row.updated_at = now;
    row.version = 1;
    return run("insertFrontend", Access::Write, [&](Session& s) {
        executeRow(s, kFrontendRows, WriteStatement::Insert, row, sql(insertSql(kFrontendRows, dialect_->jsonParam())));
        auto inserted = selectRow(s, kFrontendRows, sql(selectFrom(kFrontendRows, "WHERE id = ?")), id);
        if (!inserted) throw StoreError(Kind::Internal, "insertFrontend: the new row is not readable");
        return std::move(*inserted);
    });
}

std::optional<Frontend> SqlStore::findFrontend(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return std::nullopt;
    return run("findFrontend", Access::Read, [&](Session& s) -> std::optional<Frontend> {
        return selectRow(s, kFrontendRows, sql(selectFrom(kFrontendRows, "WHERE id = ?")), key);
    });
}

std::optional<Frontend> SqlStore::findFrontendByKey(std::string_view key) {
    const std::string k(key);
    return run("findFrontendByKey", Access::Read, [&](Session& s) -> std::optional<Frontend> {
        return selectRow(s, kFrontendRows, sql(selectFrom(kFrontendRows, "WHERE key = ?")), k);
    });
}

std::vector<Frontend> SqlStore::listFrontends() {
    return run("listFrontends", Access::Read, [&](Session& s) {
        return selectRows(s, kFrontendRows, sql(selectFrom(kFrontendRows, "ORDER BY key, id")));
    });
}

std::optional<Frontend> SqlStore::updateFrontend(const Frontend& f) {
    const auto key = canonicalUuid(f.id);
    if (key.empty()) return std::nullopt;
    Frontend row = f;
    row.updated_at = clock_.nowMicros();
    return run("updateFrontend", Access::Write, [&](Session& s) -> std::optional<Frontend> {
        const auto changed =
            executeRow(s, kFrontendRows, WriteStatement::Update, row,
                       sql(fmt::format("UPDATE frontends SET {}, version = version + 1 WHERE id = ? AND version = ?",
                                       updateSetList(kFrontendRows, dialect_->jsonParam()))),
                       key, Poco::Int64(f.version));
        if (changed == 0) {
            if (select<int>(s, sql("SELECT 1 FROM frontends WHERE id = ?"), key).empty()) return std::nullopt;
            throw StoreError(Kind::Stale, fmt::format("updateFrontend: frontend {} changed since version {} was read",
                                                      key, f.version));
        }
        return selectRow(s, kFrontendRows, sql(selectFrom(kFrontendRows, "WHERE id = ?")), key);
    });
}

bool SqlStore::deleteFrontend(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return false;
    return run("deleteFrontend", Access::Write, [&](Session& s) {
        // The row lock (PostgreSQL; SQLite's writers are serialised) holds off a recording
        // being added between the count and the delete: its foreign key check waits for us.
        if (select<int>(s, sql("SELECT 1 FROM frontends WHERE id = ?" + dialect_->forUpdateSuffix()), key).empty())
            return false;
        // recordings' foreign key would refuse too (RESTRICT), as Invalid and naming a constraint.
        const auto recordings =
            select<Poco::Int64>(s, sql("SELECT COUNT(*) FROM recordings WHERE frontend_id = ?"), key);
        if (!recordings.empty() && recordings.front() > 0)
            throw StoreError(Kind::Conflict,
                             fmt::format("deleteFrontend: frontend {} still has {} recording(s) in the index; "
                                         "delete its recordings first",
                                         key, recordings.front()));
        return execute(s, sql("DELETE FROM frontends WHERE id = ?"), key) > 0;
    });
}

// ---------------------------------------------------------------------------------------
// Meetings

Meeting SqlStore::insertMeeting(const Meeting& m) {
    if (m.id.empty()) throw StoreError(Kind::Invalid, "insertMeeting: the meeting id is empty");
    const auto frontend = canonicalUuid(m.frontend_id);
    if (frontend.empty()) throw StoreError(Kind::Invalid, "insertMeeting: frontend_id is not a uuid");
    Meeting row = m;
    row.frontend_id = frontend;
    if (m.backend_id) {
        row.backend_id = canonicalUuid(*m.backend_id);
        if (row.backend_id->empty()) throw StoreError(Kind::Invalid, "insertMeeting: backend_id is not a uuid");
    }
    const auto now = clock_.nowMicros();
    row.created_at = row.updated_at = row.synced_at = now;
    row.version = 1;
    return run("insertMeeting", Access::Write, [&](Session& s) {
        // ON CONFLICT DO NOTHING makes concurrent inserts of one id safe without a lock:
        // PostgreSQL makes the second wait for the first to commit and then skip; SQLite
        // serialises writers with BEGIN IMMEDIATE. The first create wins.
        const auto inserted =
            executeRow(s, kMeetingRows, WriteStatement::Insert, row,
                       sql(insertSql(kMeetingRows, dialect_->jsonParam()) + " ON CONFLICT (id) DO NOTHING"));
        if (inserted > 0) {
            execute(s,
                    sql("INSERT INTO frontend_meetings (meeting_id, frontend_id, seen_at_us) VALUES (?, ?, ?) "
                        "ON CONFLICT (meeting_id) DO UPDATE SET frontend_id = excluded.frontend_id, "
                        "seen_at_us = excluded.seen_at_us"),
                    m.id, frontend, Poco::Int64(now));
        }
        auto stored = selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ?")), m.id);
        // Deleted between our skipped insert and this read: a retry finds a clear field.
        if (!stored) throw StoreError(Kind::Unavailable, "insertMeeting: the meeting was deleted concurrently; retry");
        if (stored->frontend_id != frontend)
            throw StoreError(Kind::Conflict, "insertMeeting: the meeting id is in use by another frontend");
        return std::move(*stored);
    });
}

std::optional<Meeting> SqlStore::findMeeting(std::string_view frontend_id, std::string_view meeting_id) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return std::nullopt;
    const std::string id(meeting_id);
    return run("findMeeting", Access::Read, [&](Session& s) -> std::optional<Meeting> {
        return selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ? AND frontend_id = ?")), id,
                         frontend);
    });
}

std::vector<Meeting> SqlStore::listMeetings(std::string_view frontend_id) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return {};
    return run("listMeetings", Access::Read, [&](Session& s) {
        return selectRows(s, kMeetingRows,
                          sql(selectFrom(kMeetingRows, "WHERE frontend_id = ? ORDER BY created_at_us, id")), frontend);
    });
}

template <class... Params>
bool SqlStore::deleteMeetingRecordingEnd(Session& s, const std::string& id, const std::string& condition,
                                         const Params&... params) {
    // The row locked first, so the end recorded and the row deleted are one and the same.
    if (select<int>(s, sql("SELECT 1 FROM meetings WHERE id = ?" + dialect_->forUpdateSuffix()), id).empty())
        return false;
    execute(s,
            sql("INSERT INTO meeting_ends (meeting_id, frontend_id, created_at_us, ended_at_us) "
                "SELECT id, frontend_id, created_at_us, ? FROM meetings WHERE id = ? AND " +
                condition + " ON CONFLICT (meeting_id, created_at_us) DO NOTHING"),
            Poco::Int64(clock_.nowMicros()), id, params...);
    return execute(s, sql("DELETE FROM meetings WHERE id = ? AND " + condition), id, params...) > 0;
}

bool SqlStore::deleteMeeting(std::string_view frontend_id, std::string_view meeting_id) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return false;
    const std::string id(meeting_id);
    return run("deleteMeeting", Access::Write,
               [&](Session& s) { return deleteMeetingRecordingEnd(s, id, "frontend_id = ?", frontend); });
}

std::optional<Meeting> SqlStore::markMeetingCreated(std::string_view frontend_id, std::string_view meeting_id,
                                                    std::string_view backend_id, std::string_view internal_id,
                                                    std::string_view state_json) {
    const auto frontend = canonicalUuid(frontend_id);
    const auto backend = canonicalUuid(backend_id);
    if (frontend.empty() || backend.empty()) return std::nullopt;
    const std::string id(meeting_id);
    const std::string internal(internal_id);
    const std::string state(state_json);
    const auto now = Poco::Int64(clock_.nowMicros());
    return run("markMeetingCreated", Access::Write, [&](Session& s) -> std::optional<Meeting> {
        const auto changed = execute(
            s,
            sql(fmt::format("UPDATE meetings SET internal_id = ?, state = {}, updated_at_us = ?, synced_at_us = ?, "
                            "version = version + 1 WHERE id = ? AND frontend_id = ? AND backend_id = ?",
                            dialect_->jsonParam())),
            internal, state, now, now, id, frontend, backend);
        if (changed == 0) return std::nullopt;
        return selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ?")), id);
    });
}

std::optional<Meeting> SqlStore::moveMeeting(std::string_view frontend_id, std::string_view meeting_id,
                                             const std::optional<std::string>& from_backend,
                                             std::string_view to_backend) {
    const auto frontend = canonicalUuid(frontend_id);
    const auto to = canonicalUuid(to_backend);
    if (frontend.empty() || to.empty()) return std::nullopt;
    std::string from;
    if (from_backend) {
        from = canonicalUuid(*from_backend);
        if (from.empty()) return std::nullopt;
    }
    const std::string id(meeting_id);
    const auto now = Poco::Int64(clock_.nowMicros());
    return run("moveMeeting", Access::Write, [&](Session& s) -> std::optional<Meeting> {
        const std::string update =
            "UPDATE meetings SET backend_id = ?, internal_id = NULL, state = '{}', lost_at_us = NULL, updated_at_us = "
            "?, "
            "version = version + 1 WHERE id = ? AND frontend_id = ? AND ";
        const auto changed = from_backend ? execute(s, sql(update + "backend_id = ?"), to, now, id, frontend, from)
                                          : execute(s, sql(update + "backend_id IS NULL"), to, now, id, frontend);
        if (changed == 0) return std::nullopt;
        return selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ?")), id);
    });
}

bool SqlStore::deletePendingMeeting(std::string_view frontend_id, std::string_view meeting_id,
                                    std::string_view backend_id) {
    const auto frontend = canonicalUuid(frontend_id);
    const auto backend = canonicalUuid(backend_id);
    if (frontend.empty() || backend.empty()) return false;
    const std::string id(meeting_id);
    return run("deletePendingMeeting", Access::Write, [&](Session& s) {
        return execute(s,
                       sql("DELETE FROM meetings WHERE id = ? AND frontend_id = ? AND backend_id = ? "
                           "AND internal_id IS NULL"),
                       id, frontend, backend) > 0;
    });
}

// ---------------------------------------------------------------------------------------
// The cluster controller

std::vector<PollLease> SqlStore::claimDuePolls(Micros now, Micros interval, Micros lease, int limit) {
    const auto lease_id = newUuid();
    return run("claimDuePolls", Access::Write, [&](Session& s) {
        // New backends get their schedule here, due at once.
        execute(s,
                "INSERT INTO backend_polls (backend_id, due_us) SELECT b.id, 0 FROM backends b WHERE NOT EXISTS "
                "(SELECT 1 FROM backend_polls p WHERE p.backend_id = b.id) ON CONFLICT (backend_id) DO NOTHING");
        execute(s,
                sql(fmt::format("UPDATE backend_polls SET due_us = ?, lease_id = ?, lease_until_us = ? "
                                "WHERE backend_id IN (SELECT backend_id FROM backend_polls WHERE due_us <= ? "
                                "AND (lease_id IS NULL OR lease_until_us < ?) ORDER BY due_us LIMIT ?{})",
                                dialect_->skipLockedSuffix())),
                Poco::Int64(now + interval), lease_id, Poco::Int64(now + lease), Poco::Int64(now), Poco::Int64(now),
                limit);
        auto leases = selectRows(s, kPollLeaseRows,
                                 sql(selectFrom(kPollLeaseRows,
                                                "JOIN backends ON backends.id = backend_polls.backend_id "
                                                "WHERE backend_polls.lease_id = ? ORDER BY backend_polls.backend_id")),
                                 lease_id);
        for (auto& claimed : leases) claimed.lease_id = lease_id;
        return leases;
    });
}

std::optional<RecordedPoll> SqlStore::recordPoll(const PollLease& lease, const PollRecord& record) {
    const auto key = canonicalUuid(lease.backend_id);
    if (key.empty()) return std::nullopt;
    const auto at = Poco::Int64(record.at);
    const auto next_due = Poco::Int64(record.next_due.value_or(std::numeric_limits<Micros>::max()));
    return run("recordPoll", Access::Write, [&](Session& s) -> std::optional<RecordedPoll> {
        // Fencing: a result that comes after the lease expired is discarded, whether or not
        // another instance claimed the backend meanwhile.
        const auto held = execute(s,
                                  sql("UPDATE backend_polls SET failures = ?, successes = ?, lease_id = NULL, "
                                      "polls = polls + 1, due_us = CASE WHEN ? < due_us THEN ? ELSE due_us END "
                                      "WHERE backend_id = ? AND lease_id = ? AND lease_until_us >= ?"),
                                  record.failures, record.successes, next_due, next_due, key, lease.lease_id, at);
        if (held == 0) return std::nullopt;
        auto backend = writeObservation(s, key, record);
        if (!backend) return std::nullopt;
        RecordedPoll recorded{std::move(*backend), {}};
        if (record.meetings_lost) recorded.lost = markLost(s, key, record.at);
        return recorded;
    });
}

bool SqlStore::requestPoll(std::string_view backend_id, Micros at) {
    const auto key = canonicalUuid(backend_id);
    if (key.empty()) return false;
    return run("requestPoll", Access::Write, [&](Session& s) {
        return execute(s, sql("UPDATE backend_polls SET due_us = ? WHERE backend_id = ? AND due_us > ?"),
                       Poco::Int64(at), key, Poco::Int64(at)) > 0;
    });
}

bool SqlStore::deferPoll(const PollLease& lease, Micros due) {
    const auto key = canonicalUuid(lease.backend_id);
    if (key.empty()) return false;
    return run("deferPoll", Access::Write, [&](Session& s) {
        return execute(
                   s, sql("UPDATE backend_polls SET lease_id = NULL, due_us = ? WHERE backend_id = ? AND lease_id = ?"),
                   Poco::Int64(due), key, lease.lease_id) > 0;
    });
}

std::optional<Backend> SqlStore::recordObservation(std::string_view backend_id, const PollRecord& record) {
    const auto key = canonicalUuid(backend_id);
    if (key.empty()) return std::nullopt;
    return run("recordObservation", Access::Write,
               [&](Session& s) -> std::optional<Backend> { return writeObservation(s, key, record); });
}

std::optional<Backend> SqlStore::writeObservation(Session& s, const std::string& key, const PollRecord& record) {
    if (record.succeeded) {
        execute(s,
                sql("UPDATE backends SET node_state = ?, latency_us = ?, last_error = NULL, meetings_count = ?, "
                    "attendees_count = ?, synced_at_us = ?, poll_seq = poll_seq + 1 WHERE id = ?"),
                record.node_state, Poco::Int64(record.latency), record.meetings_count, record.attendees_count,
                Poco::Int64(record.at), key);
    } else {
        execute(s,
                sql("UPDATE backends SET node_state = ?, latency_us = ?, last_error = ?, "
                    "poll_seq = poll_seq + 1 WHERE id = ?"),
                record.node_state, Poco::Int64(record.latency), nullable(record.last_error), key);
    }
    return selectRow(s, kBackendRows, sql(selectFrom(kBackendRows, "WHERE id = ?")), key);
}

std::vector<Meeting> SqlStore::listMeetingsOnBackend(std::string_view backend_id) {
    const auto backend = canonicalUuid(backend_id);
    if (backend.empty()) return {};
    return run("listMeetingsOnBackend", Access::Read, [&](Session& s) {
        return selectRows(s, kMeetingRows,
                          sql(selectFrom(kMeetingRows, "WHERE backend_id = ? ORDER BY created_at_us, id")), backend);
    });
}

std::vector<Meeting> SqlStore::markMeetingsLost(std::string_view backend_id, Micros at) {
    const auto backend = canonicalUuid(backend_id);
    if (backend.empty()) return {};
    return run("markMeetingsLost", Access::Write, [&](Session& s) { return markLost(s, backend, at); });
}

std::vector<Meeting> SqlStore::markLost(Session& s, const std::string& backend, Micros at) {
    const auto now = Poco::Int64(clock_.nowMicros());
    const auto ids = select<std::string>(
        s, sql("SELECT id FROM meetings WHERE backend_id = ? AND lost_at_us IS NULL ORDER BY created_at_us, id"),
        backend);
    std::vector<Meeting> lost;
    for (const auto& id : ids) {
        if (execute(s,
                    sql("UPDATE meetings SET lost_at_us = ?, updated_at_us = ?, version = version + 1 "
                        "WHERE id = ? AND backend_id = ? AND lost_at_us IS NULL"),
                    Poco::Int64(at), now, id, backend) == 0)
            continue;
        if (auto row = selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ?")), id))
            lost.push_back(std::move(*row));
    }
    return lost;
}

std::optional<Meeting> SqlStore::markMeetingLost(std::string_view frontend_id, std::string_view meeting_id,
                                                 std::string_view backend_id, Micros at) {
    const auto frontend = canonicalUuid(frontend_id);
    const auto backend = canonicalUuid(backend_id);
    if (frontend.empty() || backend.empty()) return std::nullopt;
    const std::string id(meeting_id);
    const auto now = Poco::Int64(clock_.nowMicros());
    return run("markMeetingLost", Access::Write, [&](Session& s) -> std::optional<Meeting> {
        if (execute(s,
                    sql("UPDATE meetings SET lost_at_us = ?, updated_at_us = ?, version = version + 1 "
                        "WHERE id = ? AND frontend_id = ? AND backend_id = ? AND internal_id IS NOT NULL "
                        "AND lost_at_us IS NULL"),
                    Poco::Int64(at), now, id, frontend, backend) == 0)
            return std::nullopt;
        return selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ?")), id);
    });
}

std::optional<Meeting> SqlStore::restoreLostMeeting(const Meeting& lost, std::string_view from_backend, Micros at) {
    const auto frontend = canonicalUuid(lost.frontend_id);
    const auto from = canonicalUuid(from_backend);
    if (frontend.empty() || from.empty()) return std::nullopt;
    std::optional<std::string> backend;
    if (lost.backend_id) {
        backend = canonicalUuid(*lost.backend_id);
        if (backend->empty()) return std::nullopt;
    }
    const std::string state = lost.state_json.empty() ? "{}" : lost.state_json;
    const auto now = Poco::Int64(clock_.nowMicros());
    return run("restoreLostMeeting", Access::Write, [&](Session& s) -> std::optional<Meeting> {
        if (execute(s,
                    sql(fmt::format("UPDATE meetings SET backend_id = ?, internal_id = ?, state = {}, lost_at_us = ?, "
                                    "updated_at_us = ?, version = version + 1 WHERE id = ? AND frontend_id = ? "
                                    "AND backend_id = ? AND internal_id IS NULL",
                                    dialect_->jsonParam())),
                    nullable(backend), nullable(lost.internal_id), state, Poco::Int64(lost.lost_at.value_or(at)), now,
                    lost.id, frontend, from) == 0)
            return std::nullopt;
        return selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ?")), lost.id);
    });
}

std::optional<Meeting> SqlStore::clearMeetingLost(std::string_view meeting_id, std::string_view backend_id) {
    const auto backend = canonicalUuid(backend_id);
    if (backend.empty()) return std::nullopt;
    const std::string id(meeting_id);
    const auto now = Poco::Int64(clock_.nowMicros());
    return run("clearMeetingLost", Access::Write, [&](Session& s) -> std::optional<Meeting> {
        if (execute(s,
                    sql("UPDATE meetings SET lost_at_us = NULL, updated_at_us = ?, synced_at_us = ?, "
                        "version = version + 1 WHERE id = ? AND backend_id = ? AND lost_at_us IS NOT NULL"),
                    now, now, id, backend) == 0)
            return std::nullopt;
        return selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ?")), id);
    });
}

bool SqlStore::deleteVanishedMeeting(std::string_view meeting_id, std::string_view backend_id, Micros unchanged_since) {
    const auto backend = canonicalUuid(backend_id);
    if (backend.empty()) return false;
    const std::string id(meeting_id);
    return run("deleteVanishedMeeting", Access::Write, [&](Session& s) {
        return deleteMeetingRecordingEnd(s, id, "backend_id = ? AND lost_at_us IS NULL AND updated_at_us < ?", backend,
                                         Poco::Int64(unchanged_since));
    });
}

std::vector<std::string> SqlStore::deleteLostMeetings(Micros before) {
    return run("deleteLostMeetings", Access::Write, [&](Session& s) {
        // One by one, so the ids returned are exactly the rows deleted (one re-created meanwhile
        // is no longer lost and stays).
        const auto candidates = select<std::string>(s, sql("SELECT id FROM meetings WHERE lost_at_us < ? ORDER BY id"),
                                                    Poco::Int64(before));
        std::vector<std::string> deleted;
        for (const auto& id : candidates)
            if (deleteMeetingRecordingEnd(s, id, "lost_at_us < ?", Poco::Int64(before))) deleted.push_back(id);
        return deleted;
    });
}

bool SqlStore::deleteDrainedBackend(std::string_view backend_id) {
    const auto key = canonicalUuid(backend_id);
    if (key.empty()) return false;
    return run("deleteDrainedBackend", Access::Write, [&](Session& s) {
        return execute(s,
                       sql("DELETE FROM backends WHERE id = ? AND admin_state = 'decommissioned' AND NOT EXISTS "
                           "(SELECT 1 FROM meetings WHERE backend_id = ? AND lost_at_us IS NULL)"),
                       key, key) > 0;
    });
}

std::optional<Micros> SqlStore::findMeetingEnd(std::string_view frontend_id, std::string_view meeting_id,
                                               Micros created_at) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return std::nullopt;
    const std::string id(meeting_id);
    return run("findMeetingEnd", Access::Read, [&](Session& s) -> std::optional<Micros> {
        const auto ended = select<Poco::Int64>(
            s,
            sql("SELECT ended_at_us FROM meeting_ends WHERE meeting_id = ? AND created_at_us = ? AND frontend_id = ?"),
            id, Poco::Int64(created_at), frontend);
        if (ended.empty()) return std::nullopt;
        return static_cast<Micros>(ended.front());
    });
}

std::optional<Micros> SqlStore::lastMeetingEnd(std::string_view meeting_id) {
    const std::string id(meeting_id);
    return run("lastMeetingEnd", Access::Read, [&](Session& s) -> std::optional<Micros> {
        // ORDER BY … LIMIT 1, not MAX(): no NULL row to read when there is none.
        const auto ended = select<Poco::Int64>(
            s, sql("SELECT ended_at_us FROM meeting_ends WHERE meeting_id = ? ORDER BY ended_at_us DESC LIMIT 1"), id);
        if (ended.empty()) return std::nullopt;
        return static_cast<Micros>(ended.front());
    });
}

std::size_t SqlStore::deleteMeetingEnds(Micros before) {
    return run("deleteMeetingEnds", Access::Write, [&](Session& s) {
        return execute(s, sql("DELETE FROM meeting_ends WHERE ended_at_us < ?"), Poco::Int64(before));
    });
}

std::vector<Meeting> SqlStore::listAllMeetings() {
    return run("listAllMeetings", Access::Read, [&](Session& s) {
        return selectRows(s, kMeetingRows, sql(selectFrom(kMeetingRows, "ORDER BY created_at_us, id")));
    });
}

std::optional<Meeting> SqlStore::findMeetingById(std::string_view id) {
    const std::string key(id);
    return run("findMeetingById", Access::Read, [&](Session& s) -> std::optional<Meeting> {
        return selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ?")), key);
    });
}

std::optional<Meeting> SqlStore::findMeetingByInternalId(std::string_view internal_id) {
    const std::string key(internal_id);
    return run("findMeetingByInternalId", Access::Read, [&](Session& s) -> std::optional<Meeting> {
        return selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE internal_id = ?")), key);
    });
}

std::optional<Meeting> SqlStore::updateMeetingState(std::string_view id, std::string_view state_json) {
    const std::string key(id);
    const std::string state(state_json);
    const auto now = Poco::Int64(clock_.nowMicros());
    return run("updateMeetingState", Access::Write, [&](Session& s) -> std::optional<Meeting> {
        if (execute(s,
                    sql(fmt::format("UPDATE meetings SET state = {}, updated_at_us = ?, synced_at_us = ?, "
                                    "version = version + 1 WHERE id = ?",
                                    dialect_->jsonParam())),
                    state, now, now, key) == 0)
            return std::nullopt;
        return selectRow(s, kMeetingRows, sql(selectFrom(kMeetingRows, "WHERE id = ?")), key);
    });
}

std::vector<Frontend> SqlStore::listFrontendsOfAccount(std::string_view account_ref) {
    const std::string account(account_ref);
    return run("listFrontendsOfAccount", Access::Read, [&](Session& s) {
        return selectRows(s, kFrontendRows, sql(selectFrom(kFrontendRows, "WHERE account_ref = ? ORDER BY key, id")),
                          account);
    });
}

std::optional<Frontend> SqlStore::findFrontendOfAccount(std::string_view id, std::string_view account_ref) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return std::nullopt;
    const std::string account(account_ref);
    return run("findFrontendOfAccount", Access::Read, [&](Session& s) -> std::optional<Frontend> {
        return selectRow(s, kFrontendRows, sql(selectFrom(kFrontendRows, "WHERE id = ? AND account_ref = ?")), key,
                         account);
    });
}

std::optional<Backend> SqlStore::findBackendByAgent(std::string_view agent_ref) {
    const std::string agent(agent_ref);
    return run("findBackendByAgent", Access::Read, [&](Session& s) -> std::optional<Backend> {
        return selectRow(s, kBackendRows, sql(selectFrom(kBackendRows, "WHERE agent_ref = ?")), agent);
    });
}

std::optional<Backend> SqlStore::recordHeartbeat(std::string_view backend_id, Micros at,
                                                 const std::optional<AgentReport>& report) {
    const auto key = canonicalUuid(backend_id);
    if (key.empty()) return std::nullopt;
    const auto text = codec::AgentReportText::write(report);
    return run("recordHeartbeat", Access::Write, [&](Session& s) -> std::optional<Backend> {
        if (execute(s, sql("UPDATE backends SET agent_heartbeat_us = ?, agent_report = ? WHERE id = ?"),
                    Poco::Int64(at), text, key) == 0)
            return std::nullopt;
        return selectRow(s, kBackendRows, sql(selectFrom(kBackendRows, "WHERE id = ?")), key);
    });
}

// ---------------------------------------------------------------------------------------
// Recordings

namespace {

// What one statement binds at most (SQLite's default limit is 32766 variables, PostgreSQL's
// protocol carries 65535 parameters) and how long its text may be (SQLite: 1,000,000 bytes).
// Far beyond any getRecordings a URL can carry.
constexpr std::size_t kMaxParams = 30'000;
constexpr std::size_t kMaxSqlBytes = 900'000;
// Record ids looked up per metadata query, and metadata rows written per INSERT.
constexpr std::size_t kIdsPerQuery = 500;
constexpr std::size_t kMetadataRowsPerInsert = 300;
// A record id and a metadata name are btree keys (a PostgreSQL index entry must fit in 2704
// bytes, whatever the connector): bounded here, alike in both connectors, with a clear error.
constexpr std::size_t kMaxKeyBytes = 512;

// A metadata filter: the name, then the value through recording_metadata_lookup_idx (its
// first 200 characters, the index expression of migration 6), then the whole value. The
// first kJoinedPairs pairs are one EXISTS each, which PostgreSQL plans as a semi-join that a
// selective pair can drive from the lookup index; its planner needs time superlinear in the
// number of such joins (80 took 1.4 s, 1,200 did not finish), so any further pairs share one
// correlated count: a recording has each name once, so it matches them all exactly when it
// has as many of them as there are pairs.
constexpr std::size_t kJoinedPairs = 4;
constexpr std::string_view kMetadataMatch =
    "EXISTS (SELECT 1 FROM recording_metadata m WHERE m.record_id = recordings.record_id AND m.name = ? "
    "AND substr(m.value, 1, 200) = substr(CAST(? AS TEXT), 1, 200) AND m.value = ?)";
constexpr std::string_view kMetadataPair = "(m.name = ? AND m.value = ?)";
constexpr std::string_view kMetadataPairsCount =
    "(SELECT COUNT(*) FROM recording_metadata m WHERE m.record_id = recordings.record_id AND {}) = ?";

void checkRecording(std::string_view operation, const Recording& r) {
    if (r.record_id.empty()) throw StoreError(Kind::Invalid, fmt::format("{}: the record id is empty", operation));
    if (r.record_id.size() > kMaxKeyBytes)
        throw StoreError(Kind::Invalid,
                         fmt::format("{}: the record id is longer than {} bytes", operation, kMaxKeyBytes));
    std::vector<std::string_view> names;
    names.reserve(r.metadata.size());
    for (const auto& [name, value] : r.metadata) {
        if (name.empty()) throw StoreError(Kind::Invalid, fmt::format("{}: a metadata name is empty", operation));
        if (name.size() > kMaxKeyBytes)
            throw StoreError(Kind::Invalid,
                             fmt::format("{}: a metadata name is longer than {} bytes", operation, kMaxKeyBytes));
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    if (const auto twice = std::adjacent_find(names.begin(), names.end()); twice != names.end())
        throw StoreError(Kind::Invalid, fmt::format("{}: the metadata name '{}' appears twice", operation, *twice));
}

/// Each value once, in first-seen order.
template <class T>
std::vector<T> distinct(const std::vector<T>& values) {
    std::vector<T> out;
    std::set<T> seen;
    for (const auto& v : values)
        if (seen.insert(v).second) out.push_back(v);
    return out;
}

/// `terms` joined by `op` as a balanced tree of parenthesised halves: SQLite refuses an
/// expression deeper than 1000 (SQLITE_MAX_EXPR_DEPTH), and a flat chain of n terms is n deep.
std::string balanced(const std::vector<std::string>& terms, std::size_t from, std::size_t to, std::string_view op) {
    if (to - from == 1) return terms[from];
    const auto middle = from + (to - from) / 2;
    return fmt::format("({}{}{})", balanced(terms, from, middle, op), op, balanced(terms, middle, to, op));
}

/// Fills the metadata of `rows` (sorted by name, byte order like std::string, whatever the
/// database collation): one query per kIdsPerQuery rows, never one per row.
void loadMetadata(Session& s, const SqlDialect& d, std::vector<Recording>& rows) {
    std::unordered_map<std::string_view, Recording*> by_id;
    by_id.reserve(rows.size());
    for (auto& r : rows) {
        r.metadata.clear();
        by_id.emplace(r.record_id, &r);
    }
    for (std::size_t from = 0; from < rows.size(); from += kIdsPerQuery) {
        const auto n = std::min(kIdsPerQuery, rows.size() - from);
        ParamList ids;
        for (std::size_t i = from; i < from + n; ++i) ids.add(rows[i].record_id);
        auto entries = selectRowsWith(
            s, kRecordingMetadataRows,
            d.sql(selectFrom(kRecordingMetadataRows, fmt::format("WHERE record_id IN ({})", placeholders(n)))), ids);
        for (auto& e : entries)
            if (const auto it = by_id.find(e.record_id); it != by_id.end())
                it->second->metadata.emplace_back(std::move(e.name), std::move(e.value));
    }
    for (auto& r : rows) std::sort(r.metadata.begin(), r.metadata.end());
}

/// The recordings `sql` selects (its columns: selectList(kRecordingRows)), with their metadata.
std::vector<Recording> readRecordings(Session& s, const SqlDialect& d, std::string_view where,
                                      const ParamList& params) {
    auto rows = selectRowsWith(s, kRecordingRows, d.sql(selectFrom(kRecordingRows, where)), params);
    loadMetadata(s, d, rows);
    return rows;
}

std::optional<Recording> readRecording(Session& s, const SqlDialect& d, std::string_view where,
                                       const ParamList& params) {
    auto rows = readRecordings(s, d, where, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

/// Replaces the metadata of `record_id` as a whole, inside the caller's transaction.
void replaceMetadata(Session& s, const SqlDialect& d, const std::string& record_id,
                     const std::vector<std::pair<std::string, std::string>>& metadata) {
    execute(s, d.sql("DELETE FROM recording_metadata WHERE record_id = ?"), record_id);
    // `INSERT … VALUES (?, ?, ?)` from the map, its row of placeholders repeated per entry.
    const auto single = insertSql(kRecordingMetadataRows, d.jsonParam());
    const auto row_placeholders = single.substr(single.find(" VALUES ") + 8);
    for (std::size_t from = 0; from < metadata.size(); from += kMetadataRowsPerInsert) {
        const auto n = std::min(kMetadataRowsPerInsert, metadata.size() - from);
        std::string statement = single;
        ParamList params;
        for (std::size_t i = from; i < from + n; ++i) {
            if (i > from) statement += ", " + row_placeholders;
            const RecordingMetadataRow row{record_id, metadata[i].first, metadata[i].second};
            forEachColumn(kRecordingMetadataRows, [&](const auto& column) {
                using Codec = typename std::decay_t<decltype(column)>::CodecType;
                if (writes(WriteStatement::Insert, column.written)) params.add(Codec::write(row.*column.member));
            });
        }
        executeWith(s, d.sql(statement), params);
    }
}

}  // namespace

Recording SqlStore::upsertRecording(const Recording& r) {
    checkRecording("upsertRecording", r);
    Recording row = r;
    row.frontend_id = canonicalUuid(r.frontend_id);
    if (row.frontend_id.empty()) throw StoreError(Kind::Invalid, "upsertRecording: frontend_id is not a uuid");
    row.created_at = row.updated_at = clock_.nowMicros();
    row.version = 1;
    // One statement inserts or updates, so concurrent upserts of one id need no lock: the
    // update happens only when the row is the same frontend's; none is written otherwise.
    const auto upsert =
        sql(fmt::format("{} ON CONFLICT (record_id) DO UPDATE SET {}, version = recordings.version + 1 "
                        "WHERE recordings.frontend_id = excluded.frontend_id",
                        insertSql(kRecordingRows, dialect_->jsonParam()),
                        conflictUpdateList(kRecordingRows, {"record_id", "frontend_id", "created_at_us", "version"})));
    return run("upsertRecording", Access::Write, [&](Session& s) {
        if (executeRow(s, kRecordingRows, WriteStatement::Insert, row, upsert) == 0)
            throw StoreError(Kind::Conflict, "upsertRecording: the record id is in use by another frontend");
        replaceMetadata(s, *dialect_, row.record_id, row.metadata);
        auto stored = readRecording(s, *dialect_, "WHERE record_id = ?", ParamList().add(row.record_id));
        if (!stored) throw StoreError(Kind::Internal, "upsertRecording: the row written cannot be read back");
        return std::move(*stored);
    });
}

std::optional<Recording> SqlStore::findRecording(std::string_view frontend_id, std::string_view record_id) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return std::nullopt;
    const ParamList params = ParamList().add(std::string(record_id)).add(frontend);
    return run("findRecording", Access::Read, [&](Session& s) {
        return readRecording(s, *dialect_, "WHERE record_id = ? AND frontend_id = ?", params);
    });
}

std::optional<Recording> SqlStore::findRecordingById(std::string_view record_id) {
    const ParamList params = ParamList().add(std::string(record_id));
    return run("findRecordingById", Access::Read,
               [&](Session& s) { return readRecording(s, *dialect_, "WHERE record_id = ?", params); });
}

RecordingPage SqlStore::listRecordings(const RecordingQuery& query) {
    if (query.offset < 0 || query.limit < 0)
        throw StoreError(Kind::Invalid, "listRecordings: offset and limit must not be negative");
    std::vector<std::string> conditions;
    ParamList params;
    if (!query.frontend_id.empty()) {
        const auto frontend = canonicalUuid(query.frontend_id);
        if (frontend.empty()) return {};  // no frontend has this id
        conditions.emplace_back("frontend_id = ?");
        params.add(frontend);
    }
    if (!query.record_id_prefixes.empty()) {
        const auto prefixes = distinct(query.record_id_prefixes);
        for (const auto& prefix : prefixes) params.add(dialect_->prefixPattern(prefix));
        const std::vector<std::string> any(prefixes.size(), dialect_->prefixCondition("record_id"));
        conditions.push_back(balanced(any, 0, any.size(), " OR "));
    }
    auto oneOf = [&](std::string_view column, const std::vector<std::string>& values) {
        if (values.empty()) return;
        const auto each = distinct(values);
        conditions.push_back(fmt::format("{} IN ({})", column, placeholders(each.size())));
        for (const auto& v : each) params.add(v);
    };
    oneOf("meeting_id", query.meeting_ids);
    oneOf("state", query.states);
    const auto pairs = distinct(query.metadata);
    std::set<std::string_view> names;
    for (const auto& pair : pairs)
        if (!names.insert(pair.first).second) return {};  // one name, two values: nothing has both
    for (std::size_t i = 0; i < std::min(pairs.size(), kJoinedPairs); ++i) {
        conditions.emplace_back(kMetadataMatch);
        params.add(pairs[i].first).add(pairs[i].second).add(pairs[i].second);
    }
    if (pairs.size() > kJoinedPairs) {
        const std::vector<std::string> each(pairs.size() - kJoinedPairs, std::string(kMetadataPair));
        conditions.push_back(fmt::format(fmt::runtime(kMetadataPairsCount), balanced(each, 0, each.size(), " OR ")));
        for (std::size_t i = kJoinedPairs; i < pairs.size(); ++i) params.add(pairs[i].first).add(pairs[i].second);
        params.add(Poco::Int64(each.size()));
    }
    const auto where =
        conditions.empty() ? std::string() : "WHERE " + balanced(conditions, 0, conditions.size(), " AND ");
    if (params.size() > kMaxParams || where.size() > kMaxSqlBytes)
        throw StoreError(Kind::Invalid,
                         fmt::format("listRecordings: the query is too large ({} values)", params.size()));
    const auto page_where = where + " ORDER BY start_time DESC, record_id LIMIT ? OFFSET ?";
    ParamList page_params = params;
    page_params.add(query.limit > 0 ? Poco::Int64(query.limit) : std::numeric_limits<Poco::Int64>::max())
        .add(Poco::Int64(query.offset));
    const auto count_sql = sql("SELECT COUNT(*) FROM recordings " + where);
    return run("listRecordings", Access::Read, [&](Session& s) {
        RecordingPage page;
        page.recordings = readRecordings(s, *dialect_, page_where, page_params);
        const auto got = page.recordings.size();
        if (!query.count_total) return page;
        // A page that ends before its limit tells the total without counting.
        if ((got > 0 || query.offset == 0) && (query.limit == 0 || got < std::size_t(query.limit))) {
            page.total = query.offset + static_cast<std::int64_t>(got);
        } else {
            const auto total = selectWith<Poco::Int64>(s, count_sql, params);
            page.total = total.empty() ? 0 : total.front();
        }
        return page;
    });
}

std::optional<Recording> SqlStore::updateRecording(const Recording& r) {
    checkRecording("updateRecording", r);
    const auto frontend = canonicalUuid(r.frontend_id);
    if (frontend.empty()) return std::nullopt;
    Recording row = r;
    row.updated_at = clock_.nowMicros();
    const ParamList scoped = ParamList().add(r.record_id).add(frontend);
    return run("updateRecording", Access::Write, [&](Session& s) -> std::optional<Recording> {
        const auto changed = executeRow(s, kRecordingRows, WriteStatement::Update, row,
                                        sql(fmt::format("UPDATE recordings SET {}, version = version + 1 WHERE "
                                                        "record_id = ? AND frontend_id = ? AND version = ?",
                                                        updateSetList(kRecordingRows, dialect_->jsonParam()))),
                                        r.record_id, frontend, Poco::Int64(r.version));
        if (changed == 0) {
            if (selectWith<int>(s, sql("SELECT 1 FROM recordings WHERE record_id = ? AND frontend_id = ?"), scoped)
                    .empty())
                return std::nullopt;
            throw StoreError(Kind::Stale, fmt::format("updateRecording: recording {} changed since version {} was read",
                                                      r.record_id, r.version));
        }
        replaceMetadata(s, *dialect_, r.record_id, r.metadata);
        return readRecording(s, *dialect_, "WHERE record_id = ? AND frontend_id = ?", scoped);
    });
}

bool SqlStore::deleteRecording(std::string_view frontend_id, std::string_view record_id) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return false;
    const std::string id(record_id);
    return run("deleteRecording", Access::Write, [&](Session& s) {
        // Its metadata goes with it (ON DELETE CASCADE).
        return execute(s, sql("DELETE FROM recordings WHERE record_id = ? AND frontend_id = ?"), id, frontend) > 0;
    });
}

std::int64_t SqlStore::countRecordings(std::string_view frontend_id) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return 0;
    return run("countRecordings", Access::Read, [&](Session& s) -> std::int64_t {
        const auto n = select<Poco::Int64>(s, sql("SELECT COUNT(*) FROM recordings WHERE frontend_id = ?"), frontend);
        return n.empty() ? 0 : n.front();
    });
}

// ---------------------------------------------------------------------------------------
// The command queue

Command SqlStore::insertCommand(std::string_view action, std::string_view params_json, Micros deadline) {
    Command row;  // state "requested"
    row.id = newUuid();
    row.action = action;
    row.params_json = params_json;
    row.deadline = deadline;
    row.created_at = clock_.nowMicros();
    return run("insertCommand", Access::Write, [&](Session& s) {
        executeRow(s, kCommandRows, WriteStatement::Insert, row, sql(insertSql(kCommandRows, dialect_->jsonParam())));
        auto inserted = selectRow(s, kCommandRows, sql(selectFrom(kCommandRows, "WHERE id = ?")), row.id);
        if (!inserted) throw StoreError(Kind::Internal, "insertCommand: the new row cannot be read back");
        return std::move(*inserted);
    });
}

std::optional<Command> SqlStore::findCommand(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return std::nullopt;
    return run("findCommand", Access::Read, [&](Session& s) -> std::optional<Command> {
        return selectRow(s, kCommandRows, sql(selectFrom(kCommandRows, "WHERE id = ?")), key);
    });
}

std::vector<Command> SqlStore::listCommands() {
    return run("listCommands", Access::Read, [&](Session& s) {
        return selectRows(s, kCommandRows, sql(selectFrom(kCommandRows, "ORDER BY seq DESC")));
    });
}

std::optional<Command> SqlStore::claimCommand(Micros now, Micros lease) {
    return run("claimCommand", Access::Write, [&](Session& s) -> std::optional<Command> {
        // A few expired ones may be ahead in the queue; each is closed on the way.
        for (int skipped = 0; skipped < 16; ++skipped) {
            using Row = Poco::Tuple<std::string, Poco::Int64>;
            const auto due =
                select<Row>(s,
                            sql(fmt::format("SELECT id, deadline_us FROM commands WHERE state = 'requested' "
                                            "OR (state = 'running' AND started_at_us < ?) ORDER BY seq LIMIT 1{}",
                                            dialect_->skipLockedSuffix())),
                            Poco::Int64(now - lease));
            if (due.empty()) return std::nullopt;
            const auto& id = due.front().get<0>();
            if (due.front().get<1>() < now) {
                execute(s,
                        sql(fmt::format("UPDATE commands SET state = 'error', result = {}, stopped_at_us = ? "
                                        "WHERE id = ?",
                                        dialect_->jsonParam())),
                        std::string("\"timedout\""), Poco::Int64(now), id);
                continue;
            }
            execute(s, sql("UPDATE commands SET state = 'running', started_at_us = ? WHERE id = ?"), Poco::Int64(now),
                    id);
            return selectRow(s, kCommandRows, sql(selectFrom(kCommandRows, "WHERE id = ?")), id);
        }
        return std::nullopt;
    });
}

bool SqlStore::finishCommand(std::string_view id, bool succeeded, std::string_view result_json, Micros at) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return false;
    const std::string result(result_json);
    return run("finishCommand", Access::Write, [&](Session& s) {
        return execute(s,
                       sql(fmt::format("UPDATE commands SET state = ?, result = {}, stopped_at_us = ? "
                                       "WHERE id = ? AND state = 'running'",
                                       dialect_->jsonParam())),
                       std::string(succeeded ? "success" : "error"), result, Poco::Int64(at), key) > 0;
    });
}

int SqlStore::deleteFinishedCommands(Micros before) {
    return run("deleteFinishedCommands", Access::Write, [&](Session& s) {
        return static_cast<int>(
            execute(s, sql("DELETE FROM commands WHERE state IN ('success', 'error') AND deadline_us < ?"),
                    Poco::Int64(before)));
    });
}

// ---------------------------------------------------------------------------------------
// The callback outbox

namespace {

// The key of the claims' transaction-scoped advisory lock: "b3s-cbo" in ASCII, big-endian.
constexpr const char* kCallbackClaimLockSql = "SELECT pg_advisory_xact_lock(27641117493387887)";
constexpr const char* kDueCondition =
    "((state = 'pending' AND next_attempt_at_us <= ?) OR (state = 'delivering' AND claim_expires_at_us < ?))";

}  // namespace

std::optional<OutboxCallback> SqlStore::insertCallback(const OutboxCallback& c) {
    OutboxCallback row = c;
    row.id = newUuid();
    row.frontend_id = canonicalUuid(c.frontend_id);
    if (row.frontend_id.empty()) throw StoreError(Kind::Invalid, "insertCallback: the frontend id is not a uuid");
    row.state = callback_state::kPending;
    row.attempts = 0;
    row.claimed_by.reset();
    row.claim_expires_at.reset();
    row.last_error.reset();
    if (row.dedupe_key && row.dedupe_key->empty()) row.dedupe_key.reset();
    row.created_at = row.updated_at = clock_.nowMicros();
    return run("insertCallback", Access::Write, [&](Session& s) -> std::optional<OutboxCallback> {
        // A replay from another instance at the same moment waits on the unique index and
        // then does nothing, as one that comes later.
        const auto inserted =
            executeRow(s, kCallbackRows, WriteStatement::Insert, row,
                       sql(insertSql(kCallbackRows, dialect_->jsonParam()) + " ON CONFLICT (dedupe_key) DO NOTHING"));
        if (inserted == 0) return std::nullopt;
        return row;
    });
}

std::optional<OutboxCallback> SqlStore::findCallback(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return std::nullopt;
    return run("findCallback", Access::Read, [&](Session& s) {
        return selectRow(s, kCallbackRows, sql(selectFrom(kCallbackRows, "WHERE id = ?")), key);
    });
}

std::vector<OutboxCallback> SqlStore::listCallbacks(const std::vector<std::string>& states, int limit) {
    ParamList params;
    std::string where;
    if (!states.empty()) {
        where = "WHERE state IN (" + placeholders(states.size()) + ") ";
        for (const auto& state : states) params.add(state);
    }
    params.add(Poco::Int64(std::max(limit, 1)));
    return run("listCallbacks", Access::Read, [&](Session& s) {
        return selectRowsWith(s, kCallbackRows,
                              sql(selectFrom(kCallbackRows, where + "ORDER BY created_at_us DESC, id DESC LIMIT ?")),
                              params);
    });
}

std::vector<OutboxCallback> SqlStore::claimCallbacks(const CallbackClaim& claim) {
    const auto claim_id = newUuid();
    const auto now = Poco::Int64(claim.now);
    return run("claimCallbacks", Access::Write, [&](Session& s) -> std::vector<OutboxCallback> {
        // Claims of all instances one after another (SQLite's BEGIN IMMEDIATE does that
        // already), so the per-frontend counts below hold until this one commits; SKIP
        // LOCKED below keeps a row another transaction holds (a finish) out of the claim.
        if (target_.kind == ConnectorKind::Postgres) execute(s, kCallbackClaimLockSql);
        // Its instance died after the last attempt it was allowed: no further one.
        execute(s,
                sql("UPDATE callback_outbox SET state = 'dead', claimed_by = NULL, claim_expires_at_us = NULL, "
                    "last_error = ?, updated_at_us = ? WHERE state = 'delivering' AND claim_expires_at_us < ? "
                    "AND attempts >= ?"),
                std::string("abandoned: the instance delivering the last attempt stopped"), now, now,
                claim.max_attempts);

        using Count = Poco::Tuple<std::string, Poco::Int64>;
        std::unordered_map<std::string, Poco::Int64> busy;
        for (const auto& row :
             select<Count>(s,
                           sql("SELECT frontend_id, COUNT(*) FROM callback_outbox WHERE state = 'delivering' "
                               "AND claim_expires_at_us >= ? GROUP BY frontend_id"),
                           now))
            busy[row.get<0>()] = row.get<1>();
        using Due = Poco::Tuple<std::string, Poco::Int64, Poco::Int64>;
        const auto due = select<Due>(s,
                                     sql(fmt::format("SELECT frontend_id, MIN(next_attempt_at_us), COUNT(*) FROM "
                                                     "callback_outbox WHERE {} GROUP BY frontend_id ORDER BY 2, 1",
                                                     kDueCondition)),
                                     now, now);

        // Round-robin: one callback per frontend and round, the frontend waiting longest first.
        std::vector<std::pair<std::string, int>> takes;
        for (const auto& row : due) takes.emplace_back(row.get<0>(), 0);
        int remaining = claim.limit;
        for (bool progress = true; remaining > 0 && progress;) {
            progress = false;
            for (std::size_t i = 0; i < due.size() && remaining > 0; ++i) {
                const auto it = busy.find(due[i].get<0>());
                const auto in_flight = it == busy.end() ? 0 : it->second;
                auto& take = takes[i].second;
                if (take >= due[i].get<2>() || in_flight + take >= claim.per_frontend) continue;
                ++take;
                --remaining;
                progress = true;
            }
        }
        const auto expires = Poco::Int64(claim.now + claim.lease);
        for (const auto& [frontend, take] : takes) {
            if (take == 0) continue;
            execute(s,
                    sql(fmt::format("UPDATE callback_outbox SET state = 'delivering', claimed_by = ?, "
                                    "claim_expires_at_us = ?, attempts = attempts + 1, updated_at_us = ? "
                                    "WHERE id IN (SELECT id FROM callback_outbox WHERE frontend_id = ? AND {} "
                                    "ORDER BY next_attempt_at_us, created_at_us, id LIMIT ?{})",
                                    kDueCondition, dialect_->skipLockedSuffix())),
                    claim_id, expires, now, frontend, now, now, take);
        }
        return selectRows(
            s, kCallbackRows,
            sql(selectFrom(kCallbackRows, "WHERE state = 'delivering' AND claimed_by = ? ORDER BY next_attempt_at_us")),
            claim_id);
    });
}

bool SqlStore::finishCallback(std::string_view id, std::string_view claimed_by, const CallbackOutcome& outcome) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return false;
    std::string state;
    switch (outcome.kind) {
        case CallbackOutcome::Kind::Delivered: state = callback_state::kDelivered; break;
        case CallbackOutcome::Kind::Retry: state = callback_state::kPending; break;
        case CallbackOutcome::Kind::Dead: state = callback_state::kDead; break;
    }
    const auto next = Poco::Int64(outcome.kind == CallbackOutcome::Kind::Retry ? outcome.next_attempt_at : outcome.at);
    const std::string claim(claimed_by);
    return run("finishCallback", Access::Write, [&](Session& s) {
        // Fencing: only the claim that still holds it; one taken over after its lease expired
        // belongs to the instance that took it.
        return execute(s,
                       sql("UPDATE callback_outbox SET state = ?, next_attempt_at_us = ?, last_error = ?, "
                           "claimed_by = NULL, claim_expires_at_us = NULL, updated_at_us = ? "
                           "WHERE id = ? AND claimed_by = ? AND state = 'delivering'"),
                       state, next, nullable(outcome.error), Poco::Int64(outcome.at), key, claim) > 0;
    });
}

bool SqlStore::retryCallback(std::string_view id, Micros at) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return false;
    return run("retryCallback", Access::Write, [&](Session& s) {
        return execute(s,
                       sql("UPDATE callback_outbox SET state = 'pending', attempts = 0, next_attempt_at_us = ?, "
                           "updated_at_us = ? WHERE id = ? AND state = 'dead'"),
                       Poco::Int64(at), Poco::Int64(at), key) > 0;
    });
}

int SqlStore::deleteFinishedCallbacks(Micros delivered_before, Micros dead_before) {
    return run("deleteFinishedCallbacks", Access::Write, [&](Session& s) {
        return static_cast<int>(execute(s,
                                        sql("DELETE FROM callback_outbox WHERE (state = 'delivered' AND "
                                            "updated_at_us < ?) OR (state = 'dead' AND updated_at_us < ?)"),
                                        Poco::Int64(delivered_before), Poco::Int64(dead_before)));
    });
}

CallbackCounts SqlStore::countCallbacks() {
    return run("countCallbacks", Access::Read, [&](Session& s) {
        CallbackCounts counts;
        using Count = Poco::Tuple<std::string, Poco::Int64>;
        for (const auto& row : select<Count>(s, "SELECT state, COUNT(*) FROM callback_outbox GROUP BY state")) {
            const auto& state = row.get<0>();
            if (state == callback_state::kPending) counts.pending = row.get<1>();
            if (state == callback_state::kDelivering) counts.delivering = row.get<1>();
            if (state == callback_state::kDelivered) counts.delivered = row.get<1>();
            if (state == callback_state::kDead) counts.dead = row.get<1>();
        }
        return counts;
    });
}

// ---------------------------------------------------------------------------------------
// Change feed

std::unique_ptr<ChangeFeed> SqlStore::openChangeFeed() {
    if (target_.kind == ConnectorKind::Sqlite) return std::make_unique<SilentChangeFeed>();
    PostgresChangeFeed::Timing timing;
    if (options_.connect_timeout_s > 0) timing.connect_timeout = std::chrono::seconds(options_.connect_timeout_s);
    return std::make_unique<PostgresChangeFeed>(target_.connection_string, target_.description, target_.password,
                                                timing);
}

// ---------------------------------------------------------------------------------------
// Test seams

void SqlStore::withConnection(const std::function<void()>& while_held) {
    run("withConnection", Access::Read, [&](Session&) {
        while_held();
        return true;
    });
}

PoolStats SqlStore::poolStats() const {
    const auto stats = pool_->stats();
    return PoolStats{stats.open, stats.idle};
}

}  // namespace b3s::core::store
