#include "store_test_support.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>

namespace b3s::test {
namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

// Runs a shell command; throws with its output when it fails.
void runCommand(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run: " + command);
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe)) output += buffer.data();
    const int status = ::pclose(pipe);
    if (status != 0)
        throw std::runtime_error("command failed (" + std::to_string(status) + "): " + command + "\n" + output);
}

// The environment wins (the store suite sets it through ctest); a suite may compile the
// directory in instead.
std::string scriptsDir() {
    auto dir = env("B3S_TEST_SCRIPTS_DIR");
#ifdef B3S_TEST_SCRIPTS_DIR
    if (dir.empty()) dir = B3S_TEST_SCRIPTS_DIR;
#endif
    if (dir.empty()) throw std::runtime_error("B3S_TEST_SCRIPTS_DIR is not set; run the store suite through ctest");
    return dir;
}

std::string uniqueSuffix() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

class PostgresTestDatabase final : public TestDatabase {
public:
    PostgresTestDatabase() : admin_url_(fixturePostgresUrl()), name_("b3s_t_" + uniqueSuffix()) {
        PgConnection(admin_url_).execute("CREATE DATABASE " + name_);
        url_ = withDatabaseName(admin_url_, name_);
    }
    ~PostgresTestDatabase() override {
        raw_.reset();
        try {
            PgConnection(admin_url_).execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (const std::exception& e) {
            std::cerr << "could not drop test database " << name_ << ": " << e.what() << "\n";
        }
    }
    Engine engine() const override { return Engine::Postgres; }
    std::string url() const override { return url_; }
    void execute(const std::string& sql) override { raw().execute(sql); }
    std::optional<std::string> scalar(const std::string& sql) override { return raw().scalar(sql); }

private:
    PgConnection& raw() {
        if (!raw_) raw_ = std::make_unique<PgConnection>(url_);
        return *raw_;
    }
    std::string admin_url_;
    std::string name_;
    std::string url_;
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

std::string fixturePostgresUrl() {
    const auto dir = env("B3S_TEST_PG_DIR");
    if (dir.empty()) {
        throw std::runtime_error(
            "B3S_TEST_PG_DIR is not set: the PostgreSQL half of the store suite needs the ctest "
            "fixture `postgres` (run `ctest -R store`), or tests/scripts/pg-up.sh DIR and "
            "B3S_TEST_PG_DIR=DIR");
    }
    std::ifstream in(dir + "/url");
    std::string url;
    if (!in || !std::getline(in, url) || url.empty()) {
        throw std::runtime_error("no PostgreSQL test cluster: " + dir +
                                 "/url is missing (did the postgres_up fixture run and succeed?)");
    }
    return url;
}

PgConnection::PgConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn_);
        PQfinish(conn_);
        throw std::runtime_error("libpq connect: " + message);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
    PQfinish(conn_);
}

void PgConnection::execute(const std::string& sql) {
    scalar(sql);
}

std::optional<std::string> PgConnection::scalar(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_, sql.c_str()), PQclear);
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw std::runtime_error("libpq: " + std::string(PQresultErrorMessage(r.get())) + " in: " + sql);
    if (status != PGRES_TUPLES_OK || PQntuples(r.get()) == 0 || PQgetisnull(r.get(), 0, 0)) return std::nullopt;
    return std::string(PQgetvalue(r.get(), 0, 0));
}

PgCluster::PgCluster(const std::string& timezone) {
    const auto dir = (dir_.path() / "pg").string();
    runCommand(scriptsDir() + "/pg-up.sh '" + dir + "'" + (timezone.empty() ? "" : " '" + timezone + "'"));
    std::ifstream in(dir + "/url");
    std::getline(in, url_);
    if (url_.empty()) throw std::runtime_error("pg-up.sh wrote no URL into " + dir);
}

PgCluster::~PgCluster() {
    try {
        runCommand(scriptsDir() + "/pg-down.sh '" + (dir_.path() / "pg").string() + "'");
    } catch (const std::exception& e) {
        std::cerr << "pg-down.sh failed: " << e.what() << "\n";
    }
}

void PgCluster::control(const std::string& action) {
    runCommand(scriptsDir() + "/pg-ctl.sh '" + (dir_.path() / "pg").string() + "' " + action);
}

std::string withDatabaseName(const std::string& url, const std::string& name) {
    const auto slash = url.rfind('/');
    return url.substr(0, slash + 1) + name;
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
