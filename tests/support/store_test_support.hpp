#pragma once
// Helpers of the store and cluster tests: a settable clock, throwaway databases for both
// connectors, raw access to them (libpq / sqlite3, bypassing the store), PostgreSQL clusters
// of a test's own (pg_test_database.hpp), rows as an operator adds them and a change recorder.

#include "store/store.hpp"

#include "manual_core_clock.hpp"
#include "pg_test_database.hpp"
#include "temp_dir.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace b3s::test {

namespace store = core::store;

enum class Engine { Sqlite, Postgres };
std::string engineName(Engine e);
inline std::ostream& operator<<(std::ostream& os, Engine e) {
    return os << engineName(e);
}

/// An empty database of its own for one test, dropped (PostgreSQL) or removed (SQLite) afterwards.
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
