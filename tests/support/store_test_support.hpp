#pragma once
// Helpers of the store suite: a settable clock, throwaway databases for both connectors,
// raw access to them (libpq / sqlite3, bypassing the store) and private PostgreSQL clusters.

#include "store/store.hpp"

#include "manual_core_clock.hpp"  // tests/fakes
#include "temp_dir.hpp"      // tests/fakes

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

struct pg_conn;  // libpq's PGconn

namespace b3s::test {

namespace store = core::store;

enum class Engine { Sqlite, Postgres };
std::string engineName(Engine e);
inline std::ostream& operator<<(std::ostream& os, Engine e) {
    return os << engineName(e);
}

/// An empty database of its own for one test, dropped afterwards.
class TestDatabase {
public:
    /// Throws std::runtime_error when PostgreSQL is asked for and the fixture's URL file
    /// ($B3S_TEST_PG_DIR/url) is missing: the suite must never pass without PostgreSQL.
    static std::unique_ptr<TestDatabase> create(Engine engine);
    virtual ~TestDatabase() = default;

    virtual Engine engine() const = 0;
    /// What B3SCALE_DB_URL would say for this database.
    virtual std::string url() const = 0;
    /// Runs SQL directly, outside the store.
    virtual void execute(const std::string& sql) = 0;
    /// First column of the first row, nullopt for NULL or no row.
    virtual std::optional<std::string> scalar(const std::string& sql) = 0;
};

/// The URL of the fixture cluster, or throws std::runtime_error explaining how to get one.
std::string fixturePostgresUrl();

/// A libpq connection for test set-up and checks.
class PgConnection {
public:
    explicit PgConnection(const std::string& url);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;
    void execute(const std::string& sql);
    std::optional<std::string> scalar(const std::string& sql);

private:
    ::pg_conn* conn_;
};

/// A PostgreSQL cluster of the test's own (pg-up.sh into a temporary directory), for
/// tests that stop or restart the server. pg-down.sh on destruction.
class PgCluster {
public:
    explicit PgCluster(const std::string& timezone = {});
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;
    const std::string& url() const { return url_; }
    /// pg-ctl.sh start|stop|restart.
    void control(const std::string& action);

private:
    TempDir dir_;
    std::string url_;
};

/// `url` (postgres://…/db) pointing at database `name` instead.
std::string withDatabaseName(const std::string& url, const std::string& name);

store::StoreOptions optionsFor(const std::string& url);

/// Inserts a frontend with `key` (secret "s") as an operator would.
store::Frontend addTestFrontend(store::Store& s, const std::string& key);
/// Inserts the backend https://<host>/bigbluebutton/api/ (secret "s") in `state`.
store::Backend addTestBackend(store::Store& s, const std::string& host,
                              store::AdminState state = store::AdminState::Ready);

/// Collects what a ChangeFeed delivers, for tests to wait on with a deadline.
/// Thread-safety: handler() may be called on the feed's thread while the test waits.
class ChangeRecorder {
public:
    using Predicate = std::function<bool(const std::vector<store::Change>&)>;

    store::ChangeFeed::Handler handler();
    /// Waits until `done(everything recorded so far)` holds; false after `timeout`.
    bool waitFor(const Predicate& done, std::chrono::milliseconds timeout);
    /// Waits until `change` is recorded at index `from` or later; returns its index.
    std::optional<std::size_t> waitForChange(const store::Change& change, std::size_t from,
                                             std::chrono::milliseconds timeout);
    std::vector<store::Change> changes() const;
    std::size_t resyncs() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<store::Change> changes_;
};

}  // namespace b3s::test
