#include "pg_test_database.hpp"

#include <libpq-fe.h>

#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
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

// Compiled into the library; the environment may point elsewhere.
std::string scriptsDir() {
    auto dir = env("B3S_TEST_SCRIPTS_DIR");
    return dir.empty() ? B3S_TEST_SCRIPTS_DIR : dir;
}

std::string uniqueSuffix() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

// A frozen or vanished cluster must not hang a test's clean-up.
std::string withConnectTimeout(const std::string& url) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=10";
}

}  // namespace

std::string fixturePostgresUrl() {
    const auto dir = env("B3S_TEST_PG_DIR");
    if (dir.empty()) {
        throw std::runtime_error(
            "B3S_TEST_PG_DIR is not set: tests that use PostgreSQL need the ctest fixture `postgres` "
            "(run them through ctest), or tests/support/scripts/pg-up.sh DIR and B3S_TEST_PG_DIR=DIR");
    }
    std::ifstream in(dir + "/url");
    std::string url;
    if (!in || !std::getline(in, url) || url.empty()) {
        throw std::runtime_error("no PostgreSQL test cluster: " + dir +
                                 "/url is missing (did the postgres_up fixture run and succeed?)");
    }
    return url;
}

std::string withDatabaseName(const std::string& url, const std::string& name) {
    const auto slash = url.rfind('/');
    return url.substr(0, slash + 1) + name;
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

PgDatabase::PgDatabase(const std::string& cluster_url) : cluster_url_(cluster_url), name_("b3s_t_" + uniqueSuffix()) {
    PgConnection(cluster_url_).execute("CREATE DATABASE " + name_);
    url_ = withDatabaseName(cluster_url_, name_);
}

PgDatabase::~PgDatabase() {
    try {
        PgConnection(withConnectTimeout(cluster_url_)).execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
        std::cerr << "could not drop test database " << name_ << ": " << e.what() << "\n";
    }
}

PgCluster::PgCluster(const std::string& timezone) {
    runCommand(scriptsDir() + "/pg-up.sh '" + dir() + "'" + (timezone.empty() ? "" : " '" + timezone + "'"));
    std::ifstream in(dir() + "/url");
    std::getline(in, url_);
    if (url_.empty()) throw std::runtime_error("pg-up.sh wrote no URL into " + dir());
}

PgCluster::~PgCluster() {
    try {
        runCommand(scriptsDir() + "/pg-down.sh '" + dir() + "'");
    } catch (const std::exception& e) {
        std::cerr << "pg-down.sh failed: " << e.what() << "\n";
    }
}

std::string PgCluster::dir() const {
    return (dir_.path() / "pg").string();
}

void PgCluster::control(const std::string& action) {
    runCommand(scriptsDir() + "/pg-ctl.sh '" + dir() + "' " + action);
}

// The postmaster must be signalled; a child may exit between pgrep and kill (it is gone then,
// which is as good as stopped), so the children's kills may fail.
void PgCluster::freeze() {
    const auto read_pid = "pid=$(head -1 \"$(cat '" + dir() + "/cluster')/data/postmaster.pid\") && ";
    runCommand(read_pid + "kill -STOP $pid && for c in $(pgrep -P $pid); do kill -STOP $c 2>/dev/null || true; done");
}

void PgCluster::thaw() {
    const auto read_pid = "pid=$(head -1 \"$(cat '" + dir() + "/cluster')/data/postmaster.pid\") && ";
    runCommand(read_pid + "for c in $(pgrep -P $pid); do kill -CONT $c 2>/dev/null || true; done && kill -CONT $pid");
}

}  // namespace b3s::test
