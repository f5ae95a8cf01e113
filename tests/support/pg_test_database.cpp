#include "pg_test_database.hpp"

#include "b3scaled_process.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace b3s::test {
namespace fs = std::filesystem;
namespace {

std::string readUrl(const fs::path& dir) {
    std::ifstream in(dir / "url");
    std::string url;
    std::getline(in, url);
    return url;
}

void runScript(const std::string& command) {
    if (std::system(command.c_str()) != 0) throw std::runtime_error("test script failed: " + command);
}

std::string scriptsDir() { return B3S_TEST_SCRIPTS_DIR; }

}  // namespace

std::string sharedClusterUrl() {
    const char* dir = std::getenv("B3S_TEST_PG_DIR");
    if (dir == nullptr) throw std::runtime_error("B3S_TEST_PG_DIR is not set: run the tests through ctest");
    std::string url = readUrl(dir);
    if (url.empty())
        throw std::runtime_error(std::string("no PostgreSQL test cluster: ") + dir +
                                 "/url is missing (the postgres_up fixture failed?)");
    return url;
}

std::string createDatabase(const std::string& cluster_url) {
    static std::atomic<int> counter{0};
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(cluster_url.c_str()), PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK)
        throw std::runtime_error(std::string("cannot connect to the test cluster: ") + PQerrorMessage(conn.get()));
    std::string name = "it_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    std::unique_ptr<PGresult, decltype(&PQclear)> drop(PQexec(conn.get(), ("DROP DATABASE IF EXISTS " + name).c_str()), PQclear);
    std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), ("CREATE DATABASE " + name).c_str()), PQclear);
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
        throw std::runtime_error(std::string("CREATE DATABASE failed: ") + PQerrorMessage(conn.get()));
    auto slash = cluster_url.rfind('/');
    return cluster_url.substr(0, slash + 1) + name;
}

PrivateCluster::PrivateCluster() : dir_(makeTempDir("pg")) {
    runScript(scriptsDir() + "/pg-up.sh " + dir_.string());
    url_ = readUrl(dir_);
}

PrivateCluster::~PrivateCluster() {
    std::system((scriptsDir() + "/pg-down.sh " + dir_.string() + " >/dev/null 2>&1").c_str());
}

void PrivateCluster::control(const std::string& action) {
    runScript(scriptsDir() + "/pg-ctl.sh " + dir_.string() + " " + action);
}
void PrivateCluster::stop() { control("stop"); }
void PrivateCluster::start() { control("start"); }
void PrivateCluster::restart() { control("restart"); }

// The postmaster must be signalled; a child may exit between pgrep and kill (it is gone then,
// which is as good as stopped), so the children's kills may fail.
void PrivateCluster::freeze() {
    runScript("pid=$(head -1 \"$(cat " + dir_.string() + "/cluster)/data/postmaster.pid\") && "
              "kill -STOP $pid && for c in $(pgrep -P $pid); do kill -STOP $c 2>/dev/null || true; done");
}

void PrivateCluster::thaw() {
    runScript("pid=$(head -1 \"$(cat " + dir_.string() + "/cluster)/data/postmaster.pid\") && "
              "for c in $(pgrep -P $pid); do kill -CONT $c 2>/dev/null || true; done && kill -CONT $pid");
}

}  // namespace b3s::test
