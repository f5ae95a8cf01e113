#pragma once
// A whole b3scale for gateway tests: a real b3scaled process on a fresh database (its own
// PostgreSQL database on the shared test cluster, dropped afterwards, or an SQLite file),
// fake BBB backends in this process, a store handle to add frontends and backends the way an
// operator's tools would, and a client that signs BBB calls like a frontend does.

#include "b3scaled_process.hpp"
#include "pg_test_database.hpp"

#include "bbb/xml_tree.hpp"
#include "fake_bbb/fake_bbb_server.hpp"
#include "store/store.hpp"
#include "util/system_clock.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace b3s::test {

enum class Connector { Sqlite, Postgres };
inline void PrintTo(Connector c, std::ostream* os) {
    *os << (c == Connector::Sqlite ? "sqlite" : "postgresql");
}

struct GatewayClusterOptions {
    int backends = 2;
    Connector connector = Connector::Postgres;
    std::string balancer = "least_load";
    Env extra_env;  ///< added to (and overriding) the b3scaled environment
    /// B3SCALE_CALLBACK_ALLOW entries, e.g. a FrontendReceiver's allowEntry(): callbacks to
    /// loopback are refused by default, and every test receiver listens on 127.0.0.1.
    std::vector<std::string> callback_allow;
    std::string pg_cluster_url;  ///< PostgreSQL cluster to create the database on (it must outlive
                                 ///< the GatewayCluster); empty: the shared one
    bbb::FakeBbbOptions fake;    ///< for every fake backend
};

class GatewayCluster {
public:
    /// Creates the database, migrates it and starts the fake backends; b3scaled starts with
    /// start() (so an SQLite test can add rows first: b3scaled locks the file).
    explicit GatewayCluster(GatewayClusterOptions options = {});
    ~GatewayCluster();

    /// Starts b3scaled on a free loopback port (B3SCALE_API_URL points at it) and waits for
    /// "ready" and for the controller's first poll of every registered backend without a
    /// fault; then every fake's call counters start from zero. Fails the test when it does
    /// not start. The environment sets B3SCALE_POLL_INTERVAL=1h (no further polls during a
    /// gateway test) unless extra_env says otherwise.
    void start();
    /// Stops b3scaled (SIGTERM) and waits for it.
    void stop();
    /// A second b3scaled on the same database (PostgreSQL only).
    std::unique_ptr<B3scaledProcess> startAnother(Env extra = {});

    core::store::Store& store() { return *store_; }
    bbb::FakeBbbServer& backend(std::size_t i) { return *backends_.at(i); }
    std::size_t backendCount() const { return backends_.size(); }
    B3scaledProcess& b3scaled() { return *process_; }
    int port() const { return port_; }
    const std::string& databaseUrl() const { return db_url_; }
    const Env& env() const { return env_; }

    /// A frontend (tenant) with this key and secret and the settings document.
    core::store::Frontend addFrontend(const std::string& key, const std::string& secret,
                                      const std::string& settings_json = "{}");
    /// Registers fake backend `i` as a ready backend with `tags`.
    core::store::Backend addBackend(std::size_t i, std::vector<std::string> tags = {});
    /// Registers every fake backend, untagged. Returns them in order.
    std::vector<core::store::Backend> addAllBackends();
    /// Waits until b3scaled's /readyz reports `frontends`/`backends` (the change feed has
    /// delivered them); true when it did within a few seconds.
    bool waitForView(std::size_t frontends, std::size_t backends);

    /// The signed request target of a BBB call, as a frontend builds it.
    static std::string target(const std::string& key, const std::string& secret, const std::string& call,
                              const std::string& query);
    /// GET (or POST) a signed BBB call on `process` (default: the main b3scaled).
    HttpResult call(const std::string& key, const std::string& secret, const std::string& call,
                    const std::string& query = "", const B3scaledProcess* process = nullptr);
    HttpResult post(const std::string& key, const std::string& secret, const std::string& call,
                    const std::string& query, const std::string& body, const std::string& content_type);
    HttpResult get(const std::string& path_and_query) const;

private:
    GatewayClusterOptions options_;
    std::unique_ptr<PgDatabase> pg_database_;  ///< first member: dropped after everything that uses it
    core::SystemClock clock_;
    std::string db_url_;
    std::unique_ptr<core::store::Store> store_;
    std::vector<std::unique_ptr<bbb::FakeBbbServer>> backends_;
    Env env_;
    std::unique_ptr<B3scaledProcess> process_;
    std::vector<std::size_t> registered_;  ///< fake backends added with addBackend()
    int port_ = 0;
};

/// The parsed XML answer (nullopt when not XML).
std::optional<core::bbb::XmlNode> xmlOf(const HttpResult& result);
/// Text of a direct child of the answer's root, "" when absent.
std::string field(const HttpResult& result, const std::string& name);
/// HTTP 200 XML with this returncode (and messageKey, when given).
bool answered(const HttpResult& result, const std::string& returncode, const std::string& messageKey = "");
/// A free TCP port on 127.0.0.1 (bound once and released).
int freePort();

}  // namespace b3s::test
