#include "gateway_cluster.hpp"

#include "fake_bbb/sign_query.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>

#include <gtest/gtest.h>

#include <thread>

namespace b3s::test {

GatewayCluster::GatewayCluster(GatewayClusterOptions options) : options_(std::move(options)) {
    if (options_.connector == Connector::Sqlite) {
        db_url_ = "sqlite://" + (makeTempDir("gateway") / "b3scale.db").string();
    } else {
        pg_database_ = std::make_unique<PgDatabase>(options_.pg_cluster_url.empty() ? fixturePostgresUrl()
                                                                                    : options_.pg_cluster_url);
        db_url_ = pg_database_->url();
    }
    env_ = baseEnv();
    env_["B3SCALE_DB_URL"] = db_url_;
    env_["B3SCALE_BALANCER_PLUGIN"] = options_.balancer;
    env_["B3SCALE_METRICS_PLUGIN"] = "none";
    // The controller polls each backend once at start; gateway tests count the calls that
    // reach a backend, so later polls wait an hour unless a test asks for them.
    env_["B3SCALE_POLL_INTERVAL"] = "1h";
    std::string allow;
    for (const auto& entry : options_.callback_allow) allow += (allow.empty() ? "" : ",") + entry;
    if (!allow.empty()) env_["B3SCALE_CALLBACK_ALLOW"] = allow;
    for (const auto& [k, v] : options_.extra_env) env_[k] = v;
    {
        B3scaledProcess migrate(env_, {"--migrate"});
        EXPECT_EQ(runToExit(migrate), 0) << migrate.stderrText();
    }
    core::store::StoreOptions store_options;
    store_options.url = db_url_;
    store_options.pool_size = 4;
    store_ = core::store::openStore(store_options, clock_);
    for (int i = 0; i < options_.backends; ++i)
        backends_.push_back(std::make_unique<bbb::FakeBbbServer>("backend-secret-" + std::to_string(i), options_.fake));
}

GatewayCluster::~GatewayCluster() {
    if (process_) stop();
}

void GatewayCluster::start() {
    // SQLite: this process must let go of the file (b3scaled refuses a shared one).
    if (options_.connector == Connector::Sqlite) store_.reset();
    port_ = freePort();
    env_["B3SCALE_LISTEN_HTTP"] = "127.0.0.1:" + std::to_string(port_);
    env_["B3SCALE_API_URL"] = "http://127.0.0.1:" + std::to_string(port_);
    process_ = std::make_unique<B3scaledProcess>(env_);
    const auto ready = process_->waitReady();
    ASSERT_TRUE(ready) << process_->stderrText();
    port_ = *ready;
    // The controller's first poll of every registered, healthy backend is due at once: let
    // it be recorded (init -> ready is logged), then start counting calls from zero.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto polled = [&](const std::string& host) {
        for (const auto& line : process_->stderrLines())
            if (line.find("\"backend_state_changed\"") != std::string::npos && line.find(host) != std::string::npos)
                return true;
        return false;
    };
    for (const auto i : registered_) {
        const auto& fake = *backends_.at(i);
        if (fake.fault().mode != bbb::FaultMode::none) continue;
        while (!polled(fake.baseUrl()) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (auto& fake : backends_) fake->resetCounters();
}

void GatewayCluster::stop() {
    if (!process_) return;
    process_->signal(SIGTERM);
    process_->wait();
    process_.reset();
}

std::unique_ptr<B3scaledProcess> GatewayCluster::startAnother(Env extra) {
    Env env = env_;
    env["B3SCALE_LISTEN_HTTP"] = "127.0.0.1:0";
    for (const auto& [k, v] : extra) env[k] = v;
    auto p = std::make_unique<B3scaledProcess>(env);
    EXPECT_TRUE(p->waitReady()) << p->stderrText();
    return p;
}

core::store::Frontend GatewayCluster::addFrontend(const std::string& key, const std::string& secret,
                                                  const std::string& settings_json) {
    core::store::Frontend f;
    f.key = key;
    f.secret = secret;
    f.settings_json = settings_json;
    return store_->insertFrontend(f);
}

core::store::Backend GatewayCluster::addBackend(std::size_t i, std::vector<std::string> tags) {
    core::store::Backend b;
    b.host = backends_.at(i)->baseUrl();
    b.secret = backends_.at(i)->secret();
    b.admin_state = core::store::AdminState::Ready;
    b.tags = std::move(tags);
    auto row = store_->insertBackend(b);
    registered_.push_back(i);
    return row;
}

std::vector<core::store::Backend> GatewayCluster::addAllBackends() {
    std::vector<core::store::Backend> out;
    for (std::size_t i = 0; i < backends_.size(); ++i) out.push_back(addBackend(i));
    return out;
}

bool GatewayCluster::waitForView(std::size_t frontends, std::size_t backends) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto r = get("/readyz");
        try {
            Poco::JSON::Parser parser;
            const auto cluster =
                parser.parse(r.body).extract<Poco::JSON::Object::Ptr>()->getObject("checks")->getObject("cluster");
            if (cluster && cluster->getValue<std::size_t>("frontends") == frontends &&
                cluster->getValue<std::size_t>("backends") == backends)
                return true;
        } catch (const Poco::Exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

std::string GatewayCluster::target(const std::string& key, const std::string& secret, const std::string& call,
                                   const std::string& query) {
    return "/bbb/" + key + "/bigbluebutton/api/" + call + "?" + bbb::signQuery(call, query, secret);
}

HttpResult GatewayCluster::call(const std::string& key, const std::string& secret, const std::string& call,
                                const std::string& query, const B3scaledProcess* process) {
    const int port = process ? process->port() : port_;
    return httpRequest("GET", "127.0.0.1", port, target(key, secret, call, query));
}

HttpResult GatewayCluster::post(const std::string& key, const std::string& secret, const std::string& call,
                                const std::string& query, const std::string& body, const std::string& content_type) {
    return httpRequest("POST", "127.0.0.1", port_, target(key, secret, call, query), body, content_type);
}

HttpResult GatewayCluster::get(const std::string& path_and_query) const {
    return httpRequest("GET", "127.0.0.1", port_, path_and_query);
}

std::optional<core::bbb::XmlNode> xmlOf(const HttpResult& result) {
    return core::bbb::parseXml(result.body);
}

std::string field(const HttpResult& result, const std::string& name) {
    const auto xml = xmlOf(result);
    if (!xml) return {};
    return xml->childText(name).value_or("");
}

bool answered(const HttpResult& result, const std::string& returncode, const std::string& messageKey) {
    if (result.status != 200 || result.content_type.find("text/xml") != 0) return false;
    const auto xml = xmlOf(result);
    if (!xml || xml->name != "response" || xml->childText("returncode") != returncode) return false;
    return messageKey.empty() || xml->childText("messageKey") == messageKey;
}

int freePort() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

}  // namespace b3s::test
