#include "soak_cluster.hpp"

#include "gateway_cluster.hpp"  // freePort

#include "store/store.hpp"
#include "util/system_clock.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <csignal>
#include <stdexcept>
#include <thread>

namespace b3s::test::soak {
namespace {

using Clock = std::chrono::steady_clock;

// At least 32 bytes, as b3scaled requires of secrets.
std::string secretFor(const std::string& name) {
    return name + "-soak-secret-0123456789abcdefghijklmnopqrstuvwxyz";
}

bool readyWithView(int port, std::size_t frontends, std::size_t backends) {
    const auto r = httpRequest("GET", "127.0.0.1", port, "/readyz", std::chrono::seconds(5));
    if (r.status != 200) return false;
    try {
        const auto answer = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
        const auto checks = answer->getObject("checks");
        const auto cluster = checks ? checks->getObject("cluster") : Poco::JSON::Object::Ptr();
        return cluster && cluster->getValue<std::size_t>("frontends") == frontends &&
               cluster->getValue<std::size_t>("backends") == backends;
    } catch (const Poco::Exception&) {
        return false;
    }
}

bool backendsReady(int port, std::size_t count) {
    const auto r = httpRequest("GET", "127.0.0.1", port, "/api/v1/backends", "", "",
                               {{"Authorization", "Bearer " + adminToken()}}, std::chrono::seconds(5));
    if (r.status != 200) return false;
    try {
        const auto list = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Array::Ptr>();
        if (list->size() != count) return false;
        for (unsigned i = 0; i < list->size(); ++i)
            if (list->getObject(i)->getValue<std::string>("node_state") != "ready") return false;
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

SoakCluster::SoakCluster() {
    for (int i = 0; i < 4; ++i) {
        bbb::FakeBbbOptions options;
        // Each keep-alive connection of either instance holds a worker, and a hanging
        // backend holds every request it got.
        options.threads = 64;
        options.seed = 1000 + static_cast<std::uint64_t>(i);
        backends.push_back(std::make_unique<bbb::FakeBbbServer>(secretFor("backend-" + std::to_string(i)), options));
    }
    for (const char* key : {"soak-a", "soak-b", "soak-c"}) tenants.push_back({key, secretFor(key)});

    const std::string receiver_origin = receiver.url("");
    Env env = baseEnv();
    env["B3SCALE_DB_URL"] = postgres.url();
    env["B3SCALE_DB_CONNECT_TIMEOUT"] = "2";
    env["B3SCALE_POLL_INTERVAL"] = std::to_string(kPollInterval.count()) + "s";
    // Production waits 20 s for a backend's answer; 5 s keeps a hanging backend's calls
    // inside the soak's rhythm (and is what the hang outlasts).
    env["B3SCALE_BACKEND_RESPONSE_TIMEOUT_MS"] = "5000";
    // The callback URL policy of a parallel branch refuses loopback unless allowed; today
    // b3scaled ignores the variable.
    env["B3SCALE_CALLBACK_ALLOW"] = receiver_origin.substr(std::string("http://").size());
    {
        B3scaledProcess migrate(env, {"--migrate"});
        if (runToExit(migrate) != 0) throw std::runtime_error("b3scaled --migrate failed:\n" + migrate.stderrText());
    }
    {
        // The operator's part: tenants and servers, written to the store before b3scaled starts.
        core::SystemClock clock;
        core::store::StoreOptions store_options;
        store_options.url = postgres.url();
        store_options.pool_size = 1;
        const auto store = core::store::openStore(store_options, clock);
        for (const auto& t : tenants) {
            core::store::Frontend f;
            f.key = t.key;
            f.secret = t.secret;
            f.settings_json = "{}";
            store->insertFrontend(f);
        }
        for (const auto& fake : backends) {
            core::store::Backend b;
            b.host = fake->baseUrl();
            b.secret = fake->secret();
            b.admin_state = core::store::AdminState::Ready;
            store->insertBackend(b);
        }
    }
    for (std::size_t i = 0; i < instances.size(); ++i) {
        // Each instance's own port, known beforehand: the callback URLs it hands to backends
        // point at itself.
        const int port = freePort();
        Env own = env;
        own["B3SCALE_LISTEN_HTTP"] = "127.0.0.1:" + std::to_string(port);
        own["B3SCALE_API_URL"] = "http://127.0.0.1:" + std::to_string(port);
        instances[i] = std::make_unique<B3scaledProcess>(own);
        const auto ready = instances[i]->waitReady();
        if (!ready) throw std::runtime_error("b3scaled did not start:\n" + instances[i]->stderrText());
        ports[i] = *ready;
    }
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    for (const int port : ports)
        while (!readyWithView(port, tenants.size(), backends.size())) {
            if (Clock::now() > deadline)
                throw std::runtime_error("b3scaled on port " + std::to_string(port) +
                                         " did not see every frontend and backend");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    if (!waitSettled(std::chrono::seconds(20))) throw std::runtime_error("the backends were not polled ready");
}

bool SoakCluster::waitSettled(std::chrono::seconds timeout) {
    const auto deadline = Clock::now() + timeout;
    auto settled = [&] {
        for (const int port : ports)
            if (httpRequest("GET", "127.0.0.1", port, "/readyz", std::chrono::seconds(5)).status != 200) return false;
        return backendsReady(ports[0], backends.size());
    };
    while (!settled()) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return true;
}

std::array<std::optional<int>, 2> SoakCluster::terminate() {
    for (auto& p : instances) p->signal(SIGTERM);
    std::array<std::optional<int>, 2> codes;
    for (std::size_t i = 0; i < instances.size(); ++i) codes[i] = instances[i]->wait(std::chrono::seconds(30));
    return codes;
}

}  // namespace b3s::test::soak
