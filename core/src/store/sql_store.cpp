#include "store/sql_store.hpp"

#include "store/connection_pool.hpp"
#include "store/postgres_change_feed.hpp"
#include "store/sql_dialect.hpp"
#include "store/sqlite_instance_lock.hpp"
#include "store/tags_json.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>
#include <Poco/Tuple.h>
#include <Poco/UUIDGenerator.h>

#include <fmt/format.h>

#include <libpq-fe.h>

#include <cctype>
#include <chrono>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

namespace b3s::core::store {
namespace {

using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Kind = StoreError::Kind;
using NullableText = Poco::Nullable<std::string>;
using NullableInt64 = Poco::Nullable<Poco::Int64>;

// Column lists and the tuples they are read into, in the same order.
constexpr std::string_view kBackendColumns =
    "id, host, secret, admin_state, node_state, load_factor, tags, agent_ref, agent_heartbeat_us, "
    "latency_us, last_error, meetings_count, attendees_count, created_at_us, updated_at_us, "
    "synced_at_us, version, poll_seq";
using BackendTuple =
    Poco::Tuple<std::string, std::string, std::string, std::string, std::string, double, std::string, NullableText,
                NullableInt64, Poco::Int64, NullableText, int, int, Poco::Int64, Poco::Int64, Poco::Int64, Poco::Int64,
                Poco::Int64>;

constexpr std::string_view kFrontendColumns =
    "id, key, secret, account_ref, settings, active, created_at_us, updated_at_us, version";
using FrontendTuple = Poco::Tuple<std::string, std::string, std::string, NullableText, std::string, bool, Poco::Int64,
                                  Poco::Int64, Poco::Int64>;

constexpr std::string_view kMeetingColumns =
    "id, internal_id, frontend_id, backend_id, state, create_params, size_hint, created_at_us, updated_at_us, "
    "synced_at_us, version, lost_at_us";
using MeetingTuple = Poco::Tuple<std::string, NullableText, std::string, NullableText, std::string, std::string, int,
                                 Poco::Int64, Poco::Int64, Poco::Int64, Poco::Int64, NullableInt64>;

NullableText nullable(const std::optional<std::string>& v) {
    return v ? NullableText(*v) : NullableText();
}
NullableInt64 nullable(const std::optional<Micros>& v) {
    return v ? NullableInt64(*v) : NullableInt64();
}
template <class T>
std::optional<T> optional(const Poco::Nullable<T>& v) {
    return v.isNull() ? std::nullopt : std::optional<T>(v.value());
}

Backend toBackend(const BackendTuple& t) {
    Backend b;
    b.id = t.get<0>();
    b.host = t.get<1>();
    b.secret = t.get<2>();
    const auto state = parseAdminState(t.get<3>());
    if (!state) throw StoreError(Kind::Internal, "backend " + b.id + " has an unknown admin_state");
    b.admin_state = *state;
    b.node_state = t.get<4>();
    b.load_factor = t.get<5>();
    b.tags = tagsFromJson(t.get<6>());
    b.agent_ref = optional(t.get<7>());
    b.agent_heartbeat = optional(t.get<8>());
    b.latency = t.get<9>();
    b.last_error = optional(t.get<10>());
    b.meetings_count = t.get<11>();
    b.attendees_count = t.get<12>();
    b.created_at = t.get<13>();
    b.updated_at = t.get<14>();
    b.synced_at = t.get<15>();
    b.version = t.get<16>();
    b.poll_seq = t.get<17>();
    return b;
}

Frontend toFrontend(const FrontendTuple& t) {
    Frontend f;
    f.id = t.get<0>();
    f.key = t.get<1>();
    f.secret = t.get<2>();
    f.account_ref = optional(t.get<3>());
    f.settings_json = t.get<4>();
    f.active = t.get<5>();
    f.created_at = t.get<6>();
    f.updated_at = t.get<7>();
    f.version = t.get<8>();
    return f;
}

constexpr std::string_view kCommandColumns =
    "id, seq, state, action, params, result, deadline_us, started_at_us, stopped_at_us, created_at_us";
using CommandTuple = Poco::Tuple<std::string, Poco::Int64, std::string, std::string, NullableText, NullableText,
                                 Poco::Int64, NullableInt64, NullableInt64, Poco::Int64>;

Command toCommand(const CommandTuple& t) {
    Command c;
    c.id = t.get<0>();
    c.seq = t.get<1>();
    c.state = t.get<2>();
    c.action = t.get<3>();
    c.params_json = optional(t.get<4>()).value_or("null");
    c.result_json = optional(t.get<5>());
    c.deadline = t.get<6>();
    c.started_at = optional(t.get<7>());
    c.stopped_at = optional(t.get<8>());
    c.created_at = t.get<9>();
    return c;
}

Meeting toMeeting(const MeetingTuple& t) {
    Meeting m;
    m.id = t.get<0>();
    m.internal_id = optional(t.get<1>());
    m.frontend_id = t.get<2>();
    m.backend_id = optional(t.get<3>());
    m.state_json = t.get<4>();
    m.create_params_json = t.get<5>();
    m.size_hint = t.get<6>();
    m.created_at = t.get<7>();
    m.updated_at = t.get<8>();
    m.synced_at = t.get<9>();
    m.version = t.get<10>();
    m.lost_at = optional(t.get<11>());
    return m;
}

template <class Row, class Out, class Convert>
std::vector<Out> convertAll(const std::vector<Row>& rows, Convert convert) {
    std::vector<Out> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(convert(r));
    return out;
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
        using Row = Poco::Tuple<int, std::string, Poco::Int64>;
        const auto rows =
            select<Row>(s, "SELECT version, description, applied_at_us FROM __meta__ ORDER BY version DESC LIMIT 1");
        if (rows.empty()) return 0;
        status.current = rows.front().get<0>();
        status.description = rows.front().get<1>();
        status.applied_at = rows.front().get<2>();
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
        execute(s, sql("INSERT INTO __meta__ (version, description, applied_at_us) VALUES (?, ?, ?)"), m.version,
                m.description, clock_.nowMicros());
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
    return run("insertBackend", Access::Write, [&](Session& s) {
        execute(s,
                sql(fmt::format("INSERT INTO backends ({}) VALUES (?, ?, ?, ?, ?, ?, {}, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0)",
                                kBackendColumns, dialect_->jsonParam())),
                id, b.host, b.secret, std::string(toString(b.admin_state)), b.node_state, b.load_factor,
                tagsToJson(b.tags), nullable(b.agent_ref), nullable(b.agent_heartbeat), Poco::Int64(b.latency),
                nullable(b.last_error), b.meetings_count, b.attendees_count, Poco::Int64(now), Poco::Int64(now),
                Poco::Int64(now));
        const auto rows =
            select<BackendTuple>(s, sql(fmt::format("SELECT {} FROM backends WHERE id = ?", kBackendColumns)), id);
        if (rows.empty()) throw StoreError(Kind::Internal, "insertBackend: the new row is not readable");
        return toBackend(rows.front());
    });
}

std::optional<Backend> SqlStore::findBackend(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return std::nullopt;
    return run("findBackend", Access::Read, [&](Session& s) -> std::optional<Backend> {
        const auto rows =
            select<BackendTuple>(s, sql(fmt::format("SELECT {} FROM backends WHERE id = ?", kBackendColumns)), key);
        if (rows.empty()) return std::nullopt;
        return toBackend(rows.front());
    });
}

std::vector<Backend> SqlStore::listBackends() {
    return run("listBackends", Access::Read, [&](Session& s) {
        const auto rows =
            select<BackendTuple>(s, fmt::format("SELECT {} FROM backends ORDER BY host, id", kBackendColumns));
        return convertAll<BackendTuple, Backend>(rows, toBackend);
    });
}

std::optional<Backend> SqlStore::updateBackend(const Backend& b) {
    const auto key = canonicalUuid(b.id);
    if (key.empty()) return std::nullopt;
    const auto now = clock_.nowMicros();
    return run("updateBackend", Access::Write, [&](Session& s) -> std::optional<Backend> {
        const auto changed = execute(
            s,
            sql(fmt::format("UPDATE backends SET host = ?, secret = ?, admin_state = ?, "
                            "load_factor = ?, tags = {}, agent_ref = ?, agent_heartbeat_us = ?, "
                            "updated_at_us = ?, version = version + 1 WHERE id = ? AND version = ?",
                            dialect_->jsonParam())),
            b.host, b.secret, std::string(toString(b.admin_state)), b.load_factor, tagsToJson(b.tags),
            nullable(b.agent_ref), nullable(b.agent_heartbeat), Poco::Int64(now), key, Poco::Int64(b.version));
        if (changed == 0) {
            if (select<int>(s, sql("SELECT 1 FROM backends WHERE id = ?"), key).empty()) return std::nullopt;
            throw StoreError(Kind::Stale, fmt::format("updateBackend: backend {} changed since version {} was read",
                                                      key, b.version));
        }
        const auto rows =
            select<BackendTuple>(s, sql(fmt::format("SELECT {} FROM backends WHERE id = ?", kBackendColumns)), key);
        if (rows.empty()) return std::nullopt;
        return toBackend(rows.front());
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
    return run("insertFrontend", Access::Write, [&](Session& s) {
        execute(s,
                sql(fmt::format("INSERT INTO frontends ({}) VALUES (?, ?, ?, ?, {}, ?, ?, ?, 1)", kFrontendColumns,
                                dialect_->jsonParam())),
                id, f.key, f.secret, nullable(f.account_ref), f.settings_json, f.active, Poco::Int64(now),
                Poco::Int64(now));
        const auto rows =
            select<FrontendTuple>(s, sql(fmt::format("SELECT {} FROM frontends WHERE id = ?", kFrontendColumns)), id);
        if (rows.empty()) throw StoreError(Kind::Internal, "insertFrontend: the new row is not readable");
        return toFrontend(rows.front());
    });
}

std::optional<Frontend> SqlStore::findFrontend(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return std::nullopt;
    return run("findFrontend", Access::Read, [&](Session& s) -> std::optional<Frontend> {
        const auto rows =
            select<FrontendTuple>(s, sql(fmt::format("SELECT {} FROM frontends WHERE id = ?", kFrontendColumns)), key);
        if (rows.empty()) return std::nullopt;
        return toFrontend(rows.front());
    });
}

std::optional<Frontend> SqlStore::findFrontendByKey(std::string_view key) {
    const std::string k(key);
    return run("findFrontendByKey", Access::Read, [&](Session& s) -> std::optional<Frontend> {
        const auto rows =
            select<FrontendTuple>(s, sql(fmt::format("SELECT {} FROM frontends WHERE key = ?", kFrontendColumns)), k);
        if (rows.empty()) return std::nullopt;
        return toFrontend(rows.front());
    });
}

std::vector<Frontend> SqlStore::listFrontends() {
    return run("listFrontends", Access::Read, [&](Session& s) {
        const auto rows =
            select<FrontendTuple>(s, fmt::format("SELECT {} FROM frontends ORDER BY key, id", kFrontendColumns));
        return convertAll<FrontendTuple, Frontend>(rows, toFrontend);
    });
}

std::optional<Frontend> SqlStore::updateFrontend(const Frontend& f) {
    const auto key = canonicalUuid(f.id);
    if (key.empty()) return std::nullopt;
    const auto now = clock_.nowMicros();
    return run("updateFrontend", Access::Write, [&](Session& s) -> std::optional<Frontend> {
        const auto changed = execute(
            s,
            sql(fmt::format("UPDATE frontends SET key = ?, secret = ?, account_ref = ?, settings = {}, active = ?, "
                            "updated_at_us = ?, version = version + 1 WHERE id = ? AND version = ?",
                            dialect_->jsonParam())),
            f.key, f.secret, nullable(f.account_ref), f.settings_json, f.active, Poco::Int64(now), key,
            Poco::Int64(f.version));
        if (changed == 0) {
            if (select<int>(s, sql("SELECT 1 FROM frontends WHERE id = ?"), key).empty()) return std::nullopt;
            throw StoreError(Kind::Stale, fmt::format("updateFrontend: frontend {} changed since version {} was read",
                                                      key, f.version));
        }
        const auto rows =
            select<FrontendTuple>(s, sql(fmt::format("SELECT {} FROM frontends WHERE id = ?", kFrontendColumns)), key);
        if (rows.empty()) return std::nullopt;
        return toFrontend(rows.front());
    });
}

bool SqlStore::deleteFrontend(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return false;
    return run("deleteFrontend", Access::Write,
               [&](Session& s) { return execute(s, sql("DELETE FROM frontends WHERE id = ?"), key) > 0; });
}

// ---------------------------------------------------------------------------------------
// Meetings

Meeting SqlStore::insertMeeting(const Meeting& m) {
    if (m.id.empty()) throw StoreError(Kind::Invalid, "insertMeeting: the meeting id is empty");
    const auto frontend = canonicalUuid(m.frontend_id);
    if (frontend.empty()) throw StoreError(Kind::Invalid, "insertMeeting: frontend_id is not a uuid");
    std::optional<std::string> backend;
    if (m.backend_id) {
        backend = canonicalUuid(*m.backend_id);
        if (backend->empty()) throw StoreError(Kind::Invalid, "insertMeeting: backend_id is not a uuid");
    }
    const auto now = clock_.nowMicros();
    return run("insertMeeting", Access::Write, [&](Session& s) {
        // ON CONFLICT DO NOTHING makes concurrent inserts of one id safe without a lock:
        // PostgreSQL makes the second wait for the first to commit and then skip; SQLite
        // serialises writers with BEGIN IMMEDIATE. The first create wins.
        const auto inserted = execute(
            s,
            sql(fmt::format(
                "INSERT INTO meetings ({0}) VALUES (?, ?, ?, ?, {1}, {1}, ?, ?, ?, ?, 1, ?) ON CONFLICT (id) DO NOTHING",
                kMeetingColumns, dialect_->jsonParam())),
            m.id, nullable(m.internal_id), frontend, nullable(backend), m.state_json, m.create_params_json,
            m.size_hint, Poco::Int64(now), Poco::Int64(now), Poco::Int64(now), nullable(m.lost_at));
        if (inserted > 0) {
            execute(s,
                    sql("INSERT INTO frontend_meetings (meeting_id, frontend_id, seen_at_us) VALUES (?, ?, ?) "
                        "ON CONFLICT (meeting_id) DO UPDATE SET frontend_id = excluded.frontend_id, "
                        "seen_at_us = excluded.seen_at_us"),
                    m.id, frontend, Poco::Int64(now));
        }
        const auto rows =
            select<MeetingTuple>(s, sql(fmt::format("SELECT {} FROM meetings WHERE id = ?", kMeetingColumns)), m.id);
        // Deleted between our skipped insert and this read: a retry finds a clear field.
        if (rows.empty())
            throw StoreError(Kind::Unavailable, "insertMeeting: the meeting was deleted concurrently; retry");
        auto row = toMeeting(rows.front());
        if (row.frontend_id != frontend)
            throw StoreError(Kind::Conflict, "insertMeeting: the meeting id is in use by another frontend");
        return row;
    });
}

std::optional<Meeting> SqlStore::findMeeting(std::string_view frontend_id, std::string_view meeting_id) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return std::nullopt;
    const std::string id(meeting_id);
    return run("findMeeting", Access::Read, [&](Session& s) -> std::optional<Meeting> {
        const auto rows = select<MeetingTuple>(
            s, sql(fmt::format("SELECT {} FROM meetings WHERE id = ? AND frontend_id = ?", kMeetingColumns)), id,
            frontend);
        if (rows.empty()) return std::nullopt;
        return toMeeting(rows.front());
    });
}

std::vector<Meeting> SqlStore::listMeetings(std::string_view frontend_id) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return {};
    return run("listMeetings", Access::Read, [&](Session& s) {
        const auto rows = select<MeetingTuple>(
            s,
            sql(fmt::format("SELECT {} FROM meetings WHERE frontend_id = ? ORDER BY created_at_us, id",
                            kMeetingColumns)),
            frontend);
        return convertAll<MeetingTuple, Meeting>(rows, toMeeting);
    });
}

bool SqlStore::deleteMeeting(std::string_view frontend_id, std::string_view meeting_id) {
    const auto frontend = canonicalUuid(frontend_id);
    if (frontend.empty()) return false;
    const std::string id(meeting_id);
    return run("deleteMeeting", Access::Write, [&](Session& s) {
        return execute(s, sql("DELETE FROM meetings WHERE id = ? AND frontend_id = ?"), id, frontend) > 0;
    });
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
        const auto rows =
            select<MeetingTuple>(s, sql(fmt::format("SELECT {} FROM meetings WHERE id = ?", kMeetingColumns)), id);
        if (rows.empty()) return std::nullopt;
        return toMeeting(rows.front());
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
            "UPDATE meetings SET backend_id = ?, internal_id = NULL, state = '{}', lost_at_us = NULL, updated_at_us = ?, "
            "version = version + 1 WHERE id = ? AND frontend_id = ? AND ";
        const auto changed = from_backend
                                 ? execute(s, sql(update + "backend_id = ?"), to, now, id, frontend, from)
                                 : execute(s, sql(update + "backend_id IS NULL"), to, now, id, frontend);
        if (changed == 0) return std::nullopt;
        const auto rows =
            select<MeetingTuple>(s, sql(fmt::format("SELECT {} FROM meetings WHERE id = ?", kMeetingColumns)), id);
        if (rows.empty()) return std::nullopt;
        return toMeeting(rows.front());
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
        using Row = Poco::Tuple<std::string, std::string, int, int>;
        const auto rows = select<Row>(s,
                                      sql("SELECT p.backend_id, b.node_state, p.failures, p.successes "
                                          "FROM backend_polls p JOIN backends b ON b.id = p.backend_id "
                                          "WHERE p.lease_id = ? ORDER BY p.backend_id"),
                                      lease_id);
        std::vector<PollLease> leases;
        leases.reserve(rows.size());
        for (const auto& r : rows) leases.push_back({r.get<0>(), lease_id, r.get<1>(), r.get<2>(), r.get<3>()});
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
    const auto rows =
        select<BackendTuple>(s, sql(fmt::format("SELECT {} FROM backends WHERE id = ?", kBackendColumns)), key);
    if (rows.empty()) return std::nullopt;
    return toBackend(rows.front());
}

std::vector<Meeting> SqlStore::listMeetingsOnBackend(std::string_view backend_id) {
    const auto backend = canonicalUuid(backend_id);
    if (backend.empty()) return {};
    return run("listMeetingsOnBackend", Access::Read, [&](Session& s) {
        const auto rows = select<MeetingTuple>(
            s,
            sql(fmt::format("SELECT {} FROM meetings WHERE backend_id = ? ORDER BY created_at_us, id",
                            kMeetingColumns)),
            backend);
        return convertAll<MeetingTuple, Meeting>(rows, toMeeting);
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
        const auto rows =
            select<MeetingTuple>(s, sql(fmt::format("SELECT {} FROM meetings WHERE id = ?", kMeetingColumns)), id);
        if (!rows.empty()) lost.push_back(toMeeting(rows.front()));
    }
    return lost;
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
        const auto rows =
            select<MeetingTuple>(s, sql(fmt::format("SELECT {} FROM meetings WHERE id = ?", kMeetingColumns)), id);
        if (rows.empty()) return std::nullopt;
        return toMeeting(rows.front());
    });
}

bool SqlStore::deleteVanishedMeeting(std::string_view meeting_id, std::string_view backend_id,
                                     Micros unchanged_since) {
    const auto backend = canonicalUuid(backend_id);
    if (backend.empty()) return false;
    const std::string id(meeting_id);
    return run("deleteVanishedMeeting", Access::Write, [&](Session& s) {
        return execute(s,
                       sql("DELETE FROM meetings WHERE id = ? AND backend_id = ? AND lost_at_us IS NULL "
                           "AND updated_at_us < ?"),
                       id, backend, Poco::Int64(unchanged_since)) > 0;
    });
}

std::vector<std::string> SqlStore::deleteLostMeetings(Micros before) {
    return run("deleteLostMeetings", Access::Write, [&](Session& s) {
        // One by one, so the ids returned are exactly the rows deleted (one re-created meanwhile
        // is no longer lost and stays).
        const auto candidates = select<std::string>(
            s, sql("SELECT id FROM meetings WHERE lost_at_us < ? ORDER BY id"), Poco::Int64(before));
        std::vector<std::string> deleted;
        for (const auto& id : candidates)
            if (execute(s, sql("DELETE FROM meetings WHERE id = ? AND lost_at_us < ?"), id, Poco::Int64(before)) > 0)
                deleted.push_back(id);
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

std::vector<Meeting> SqlStore::listAllMeetings() {
    return run("listAllMeetings", Access::Read, [&](Session& s) {
        const auto rows =
            select<MeetingTuple>(s, fmt::format("SELECT {} FROM meetings ORDER BY created_at_us, id", kMeetingColumns));
        return convertAll<MeetingTuple, Meeting>(rows, toMeeting);
    });
}

std::optional<Meeting> SqlStore::findMeetingById(std::string_view id) {
    const std::string key(id);
    return run("findMeetingById", Access::Read, [&](Session& s) -> std::optional<Meeting> {
        const auto rows =
            select<MeetingTuple>(s, sql(fmt::format("SELECT {} FROM meetings WHERE id = ?", kMeetingColumns)), key);
        if (rows.empty()) return std::nullopt;
        return toMeeting(rows.front());
    });
}

std::optional<Meeting> SqlStore::findMeetingByInternalId(std::string_view internal_id) {
    const std::string key(internal_id);
    return run("findMeetingByInternalId", Access::Read, [&](Session& s) -> std::optional<Meeting> {
        const auto rows = select<MeetingTuple>(
            s, sql(fmt::format("SELECT {} FROM meetings WHERE internal_id = ?", kMeetingColumns)), key);
        if (rows.empty()) return std::nullopt;
        return toMeeting(rows.front());
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
        const auto rows =
            select<MeetingTuple>(s, sql(fmt::format("SELECT {} FROM meetings WHERE id = ?", kMeetingColumns)), key);
        if (rows.empty()) return std::nullopt;
        return toMeeting(rows.front());
    });
}

std::vector<Frontend> SqlStore::listFrontendsOfAccount(std::string_view account_ref) {
    const std::string account(account_ref);
    return run("listFrontendsOfAccount", Access::Read, [&](Session& s) {
        const auto rows = select<FrontendTuple>(
            s, sql(fmt::format("SELECT {} FROM frontends WHERE account_ref = ? ORDER BY key, id", kFrontendColumns)),
            account);
        return convertAll<FrontendTuple, Frontend>(rows, toFrontend);
    });
}

std::optional<Frontend> SqlStore::findFrontendOfAccount(std::string_view id, std::string_view account_ref) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return std::nullopt;
    const std::string account(account_ref);
    return run("findFrontendOfAccount", Access::Read, [&](Session& s) -> std::optional<Frontend> {
        const auto rows = select<FrontendTuple>(
            s, sql(fmt::format("SELECT {} FROM frontends WHERE id = ? AND account_ref = ?", kFrontendColumns)), key,
            account);
        if (rows.empty()) return std::nullopt;
        return toFrontend(rows.front());
    });
}

std::optional<Backend> SqlStore::findBackendByAgent(std::string_view agent_ref) {
    const std::string agent(agent_ref);
    return run("findBackendByAgent", Access::Read, [&](Session& s) -> std::optional<Backend> {
        const auto rows = select<BackendTuple>(
            s, sql(fmt::format("SELECT {} FROM backends WHERE agent_ref = ?", kBackendColumns)), agent);
        if (rows.empty()) return std::nullopt;
        return toBackend(rows.front());
    });
}

std::optional<Backend> SqlStore::recordHeartbeat(std::string_view backend_id, Micros at) {
    const auto key = canonicalUuid(backend_id);
    if (key.empty()) return std::nullopt;
    return run("recordHeartbeat", Access::Write, [&](Session& s) -> std::optional<Backend> {
        if (execute(s, sql("UPDATE backends SET agent_heartbeat_us = ? WHERE id = ?"), Poco::Int64(at), key) == 0)
            return std::nullopt;
        const auto rows =
            select<BackendTuple>(s, sql(fmt::format("SELECT {} FROM backends WHERE id = ?", kBackendColumns)), key);
        if (rows.empty()) return std::nullopt;
        return toBackend(rows.front());
    });
}

// ---------------------------------------------------------------------------------------
// The command queue

Command SqlStore::insertCommand(std::string_view action, std::string_view params_json, Micros deadline) {
    const auto id = newUuid();
    const std::string a(action);
    const std::string params(params_json);
    const auto now = Poco::Int64(clock_.nowMicros());
    return run("insertCommand", Access::Write, [&](Session& s) {
        execute(s,
                sql(fmt::format("INSERT INTO commands (id, state, action, params, deadline_us, created_at_us) "
                                "VALUES (?, 'requested', ?, {}, ?, ?)",
                                dialect_->jsonParam())),
                id, a, params, Poco::Int64(deadline), now);
        const auto rows =
            select<CommandTuple>(s, sql(fmt::format("SELECT {} FROM commands WHERE id = ?", kCommandColumns)), id);
        if (rows.empty()) throw StoreError(Kind::Internal, "insertCommand: the new row cannot be read back");
        return toCommand(rows.front());
    });
}

std::optional<Command> SqlStore::findCommand(std::string_view id) {
    const auto key = canonicalUuid(id);
    if (key.empty()) return std::nullopt;
    return run("findCommand", Access::Read, [&](Session& s) -> std::optional<Command> {
        const auto rows =
            select<CommandTuple>(s, sql(fmt::format("SELECT {} FROM commands WHERE id = ?", kCommandColumns)), key);
        if (rows.empty()) return std::nullopt;
        return toCommand(rows.front());
    });
}

std::vector<Command> SqlStore::listCommands() {
    return run("listCommands", Access::Read, [&](Session& s) {
        const auto rows =
            select<CommandTuple>(s, fmt::format("SELECT {} FROM commands ORDER BY seq DESC", kCommandColumns));
        return convertAll<CommandTuple, Command>(rows, toCommand);
    });
}

std::optional<Command> SqlStore::claimCommand(Micros now, Micros lease) {
    return run("claimCommand", Access::Write, [&](Session& s) -> std::optional<Command> {
        // A few expired ones may be ahead in the queue; each is closed on the way.
        for (int skipped = 0; skipped < 16; ++skipped) {
            using Row = Poco::Tuple<std::string, Poco::Int64>;
            const auto due = select<Row>(
                s,
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
            const auto rows =
                select<CommandTuple>(s, sql(fmt::format("SELECT {} FROM commands WHERE id = ?", kCommandColumns)), id);
            if (rows.empty()) return std::nullopt;
            return toCommand(rows.front());
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
        return static_cast<int>(execute(
            s, sql("DELETE FROM commands WHERE state IN ('success', 'error') AND deadline_us < ?"), Poco::Int64(before)));
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
