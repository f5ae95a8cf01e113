#include "store_test_support.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>

namespace b3s::test {
namespace {

class PostgresTestDatabase final : public TestDatabase {
public:
    Engine engine() const override { return Engine::Postgres; }
    std::string url() const override { return db_.url(); }
    void execute(const std::string& sql) override { raw().execute(sql); }
    std::optional<std::string> scalar(const std::string& sql) override { return raw().scalar(sql); }

private:
    PgConnection& raw() {
        if (!raw_) raw_ = std::make_unique<PgConnection>(db_.url());
        return *raw_;
    }
    PgDatabase db_;  // declared first: dropped after the connection below is closed
    std::unique_ptr<PgConnection> raw_;
};

class SqliteTestDatabase final : public TestDatabase {
public:
    SqliteTestDatabase() : dir_("b3s-store-test"), file_(dir_.path() / "data" / "b3scale.db") {}
    Engine engine() const override { return Engine::Sqlite; }
    std::string url() const override { return "sqlite://" + file_.string(); }
    void execute(const std::string& sql) override {
        withDb([&](sqlite3* db) {
            char* error = nullptr;
            if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
                std::string message = error ? error : "unknown error";
                sqlite3_free(error);
                throw std::runtime_error("sqlite: " + message + " in: " + sql);
            }
        });
    }
    std::optional<std::string> scalar(const std::string& sql) override {
        std::optional<std::string> result;
        withDb([&](sqlite3* db) {
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
                throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db) + " in: " + sql);
            const int rc = sqlite3_step(st);
            if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
                result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
            sqlite3_finalize(st);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw std::runtime_error("sqlite: step failed in: " + sql);
        });
        return result;
    }

private:
    template <class F>
    void withDb(F&& f) {
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(file_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            sqlite3_close(db);
            throw std::runtime_error("sqlite: cannot open " + file_.string());
        }
        sqlite3_busy_timeout(db, 5000);
        try {
            f(db);
        } catch (...) {
            sqlite3_close(db);
            throw;
        }
        sqlite3_close(db);
    }
    TempDir dir_;
    std::filesystem::path file_;
};

}  // namespace

std::string engineName(Engine e) {
    return e == Engine::Sqlite ? "SQLite" : "PostgreSQL";
}

std::unique_ptr<TestDatabase> TestDatabase::create(Engine engine) {
    if (engine == Engine::Sqlite) return std::make_unique<SqliteTestDatabase>();
    return std::make_unique<PostgresTestDatabase>();
}

store::StoreOptions optionsFor(const std::string& url) {
    store::StoreOptions o;
    o.url = url;
    o.pool_size = 8;
    o.connect_timeout_s = 3;
    o.acquire_timeout_ms = 5000;
    return o;
}

store::Frontend addTestFrontend(store::Store& s, const std::string& key) {
    store::Frontend f;
    f.key = key;
    f.secret = "s";
    return s.insertFrontend(f);
}

store::Backend addTestBackend(store::Store& s, const std::string& host, store::AdminState state) {
    store::Backend b;
    b.host = "https://" + host + "/bigbluebutton/api/";
    b.secret = "s";
    b.admin_state = state;
    return s.insertBackend(b);
}

store::ChangeFeed::Handler ChangeRecorder::handler() {
    return [this](const store::Change& change) {
        {
            std::lock_guard lock(mutex_);
            changes_.push_back(change);
        }
        changed_.notify_all();
    };
}

bool ChangeRecorder::waitFor(const Predicate& done, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return done(changes_); });
}

std::optional<std::size_t> ChangeRecorder::waitForChange(const store::Change& change, std::size_t from,
                                                         std::chrono::milliseconds timeout) {
    std::optional<std::size_t> found;
    waitFor(
        [&](const std::vector<store::Change>& all) {
            for (auto i = from; i < all.size(); ++i) {
                if (all[i] == change) {
                    found = i;
                    return true;
                }
            }
            return false;
        },
        timeout);
    return found;
}

std::vector<store::Change> ChangeRecorder::changes() const {
    std::lock_guard lock(mutex_);
    return changes_;
}

std::size_t ChangeRecorder::resyncs() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(
        changes_.begin(), changes_.end(), [](const store::Change& c) { return c.op == store::Change::Op::ResyncAll; }));
}

}  // namespace b3s::test
