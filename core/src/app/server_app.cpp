#include "app/server_app.hpp"

#include "callbacks/callback_dispatcher.hpp"
#include "callbacks/callback_proxy.hpp"
#include "api/rest_api.hpp"
#include "callbacks/callback_token.hpp"
#include "cluster/attendance.hpp"
#include "cluster/backend_api.hpp"
#include "cluster/backend_client.hpp"
#include "cluster/cluster_controller.hpp"
#include "cluster/command_runner.hpp"
#include "cluster/cluster_metrics.hpp"
#include "metrics/core_metrics.hpp"
#include "cluster/poll_figures.hpp"
#include "http/request_metrics.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/fan_out.hpp"
#include "cluster/meeting_placer.hpp"
#include "config/core_settings.hpp"
#include "config/env_files.hpp"
#include "config/environment.hpp"
#include "gateway/attendee_limit.hpp"
#include "gateway/bbb_calls.hpp"
#include "gateway/bbb_ingress.hpp"
#include "gateway/cluster_frontend_directory.hpp"
#include "gateway/gateway_context.hpp"
#include "gateway/retry_join_link.hpp"
#include "gateway/retry_join_page.hpp"
#include "http/http_server.hpp"
#include "app/probe_routes.hpp"
#include "log/deferred_log_flusher.hpp"
#include "log/logger.hpp"
#include "plugin/plugin_set.hpp"
#include "store/database_url.hpp"
#include "store/store.hpp"
#include "util/heap_trim.hpp"
#include "util/system_clock.hpp"

#include <b3s/generated/build_info.hpp>

#include <Poco/Net/SSLManager.h>
#include <Poco/Util/HelpFormatter.h>

#include <boost/dll/runtime_symbol_info.hpp>

#include <fmt/format.h>

#include <optional>

#include <iostream>

namespace b3s::core::app {
namespace {

log::Logger& appLog() {
    static log::Logger l("b3s.core.app");
    return l;
}

std::string yesNo(bool b) { return b ? "true" : "false"; }

}  // namespace

ServerApp::ServerApp() {
    setUnixOptions(true);
    // OpenSSL for https backends, once per process.
    Poco::Net::initializeSSL();
}

ServerApp::~ServerApp() { Poco::Net::uninitializeSSL(); }

void ServerApp::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    using Poco::Util::Option;
    options.addOption(Option("help", "h", "print the command-line options and exit").required(false).repeatable(false));
    options.addOption(Option("help-config", "", "print every B3SCALE_* variable b3scaled reads and exit")
                          .required(false).repeatable(false));
    options.addOption(Option("version", "v", "print the version and exit").required(false).repeatable(false));
    options.addOption(Option("check-config", "", "validate the configuration and load the plugins, then exit")
                          .required(false).repeatable(false));
    options.addOption(Option("migrate", "", "apply pending database migrations, then exit")
                          .required(false).repeatable(false));
}

void ServerApp::handleOption(const std::string& name, const std::string& value) {
    ServerApplication::handleOption(name, value);
    if (name == "help") mode_ = Mode::Help;
    else if (name == "help-config") mode_ = Mode::HelpConfig;
    else if (name == "version") mode_ = Mode::Version;
    else if (name == "check-config") mode_ = Mode::CheckConfig;
    else if (name == "migrate") mode_ = Mode::Migrate;
    if (mode_ == Mode::Help || mode_ == Mode::Version || mode_ == Mode::HelpConfig) stopOptionsProcessing();
}

int ServerApp::main(const std::vector<std::string>& args) {
    if (!args.empty()) {
        std::cerr << "b3scaled: unexpected argument '" << args.front() << "' (see b3scaled --help)\n";
        return kExitConfig;
    }
    switch (mode_) {
    case Mode::Version:
        std::cout << "b3scaled " << build::kVersion << " (" << build::kBuildId << ")\n";
        return kExitOk;
    case Mode::Help: {
        Poco::Util::HelpFormatter help(options());
        help.setCommand(commandName());
        help.setUsage("[--check-config | --migrate | --version | --help-config]");
        help.setHeader("b3scale: a multi-tenant load balancer for BigBlueButton. Configured by B3SCALE_* "
                       "environment variables only (b3scaled --help-config lists them).");
        help.format(std::cout);
        return kExitOk;
    }
    case Mode::HelpConfig:
        for (const auto& key : config::coreKeys())
            std::cout << key.name << (key.default_value ? std::string("=") + key.default_value : std::string())
                      << "\n    " << key.description << "\n";
        std::cout << "Plugins read further variables; each plugin's README.md lists them.\n";
        return kExitOk;
    default:
        return runMode(mode_);
    }
}

int ServerApp::runMode(Mode mode) {
    // 1. Env files, as b3scale: only when B3SCALE_DB_URL is not given.
    std::vector<std::string> env_files;
    if (config::Environment::fromProcess().get("B3SCALE_DB_URL") == std::nullopt)
        env_files = config::loadEnvFiles(config::defaultEnvFiles());
    const config::Environment env = config::Environment::fromProcess();

    // 2. Logging first, so every later error is one line in the chosen format.
    config::CoreSettings settings;
    try {
        auto& sink = log::LogSink::instance();
        const auto format = config::parseLogFormatSetting(env);
        sink.configure(format, log::LogLevel::Info);
        sink.configure(format, config::parseLogLevelSetting(env));
        settings = config::parseCoreSettings(env, boost::dll::program_location().parent_path());
    } catch (const config::ConfigError& e) {
        appLog().fatal("config_invalid", {{"variable", e.key()}, {"error", e.what()}});
        return kExitConfig;
    }
    appLog().info("starting", {{"version", build::kVersion}, {"build", build::kBuildId}});
    for (const auto& file : env_files) appLog().info("env_file_loaded", {{"path", file}});
    appLog().info("config", {{"listen", settings.listen.toString()},
                             {"db", store::maskDatabaseUrl(settings.db_url)},
                             {"db_pool_size", std::to_string(settings.db_pool_size)},
                             {"api_url", settings.api_url},
                             {"plugin_dir", settings.plugin_dir.string()},
                             {"http_request_timeout_s", std::to_string(settings.http_request_timeout_s)},
                             {"reverse_proxy_mode", yesNo(settings.reverse_proxy_mode)}});
    if (settings.api_url_is_default)
        appLog().warn("api_url_defaulted", {{"api_url", settings.api_url},
                                            {"hint", "set B3SCALE_API_URL to b3scale's public URL"}});

    // 3. Store (opening does not connect yet).
    SystemClock clock;
    std::unique_ptr<store::Store> store;
    try {
        store::StoreOptions options;
        options.url = settings.db_url;
        options.pool_size = settings.db_pool_size;
        options.connect_timeout_s = settings.db_connect_timeout_s;
        store = store::openStore(options, clock);
    } catch (const store::StoreError& e) {
        appLog().fatal("store_invalid", {{"variable", "B3SCALE_DB_URL"}, {"error", e.what()}});
        return kExitConfig;
    }
    appLog().info("store_selected",
                  {{"connector", store->connectorName()},
                   {"database", store->describe()},
                   {"several_instances", yesNo(store->supportsSeveralInstances())},
                   {"note", store->supportsSeveralInstances()
                                ? "several b3scaled instances may share this database"
                                : "embedded single-node store; several b3scaled instances need PostgreSQL "
                                  "(B3SCALE_DB_URL=postgres://…)"}});

    if (mode == Mode::Migrate) {
        try {
            auto applied = store->migrate();
            auto status = store->schemaStatus();
            appLog().info("migrated", {{"applied", std::to_string(applied.size())},
                                       {"schema_version", std::to_string(status.current)}});
            return kExitOk;
        } catch (const store::StoreError& e) {
            appLog().fatal("migration_failed", {{"kind", store::toString(e.kind())}, {"error", e.what()}});
            return e.kind() == store::StoreError::Kind::Unavailable ? kExitUnavailable : kExitConfig;
        }
    }

    // 4. Plugins.
    std::unique_ptr<plugin::PluginSet> plugins;
    try {
        plugins = std::make_unique<plugin::PluginSet>(settings, env, clock);
    } catch (const plugin::PluginLoadError& e) {
        appLog().fatal("plugin_refused", {{"error", e.what()}});
        return kExitConfig;
    }
    for (const auto& key : config::unclaimedKeys(env, plugins->declaredKeys()))
        appLog().warn("config_unknown_variable", {{"variable", key},
                                                  {"hint", "no part of b3scaled reads it; check the spelling"}});
    for (const auto& problem : plugins->recordings().check())
        appLog().warn("recordings_path_unusable", {{"path", problem.path}, {"reason", problem.reason}});

    if (mode == Mode::CheckConfig) {
        appLog().info("config_ok", {{"plugins", fmt::format("{}", fmt::join(plugins->describe(), ","))}});
        return kExitOk;
    }

    // 5. The database must answer and carry the schema this binary speaks.
    try {
        store->ping();
        auto status = store->schemaStatus();
        if (status.current < status.latest) {
            appLog().fatal("schema_outdated",
                           {{"schema_version", std::to_string(status.current)},
                            {"required", std::to_string(status.latest)},
                            {"error", fmt::format("the database schema is at version {}, this b3scaled needs "
                                                  "version {}: run `b3scaled --migrate` with the same "
                                                  "environment, then start b3scaled again",
                                                  status.current, status.latest)}});
            return kExitConfig;
        }
        if (status.current > status.latest) {
            appLog().fatal("schema_newer",
                           {{"schema_version", std::to_string(status.current)},
                            {"required", std::to_string(status.latest)},
                            {"error", fmt::format("the database schema is at version {}, newer than this "
                                                  "b3scaled understands ({}): upgrade b3scaled",
                                                  status.current, status.latest)}});
            return kExitConfig;
        }
    } catch (const store::StoreError& e) {
        appLog().fatal("store_unavailable", {{"database", store->describe()}, {"error", e.what()}});
        return e.kind() == store::StoreError::Kind::Unavailable ? kExitUnavailable : kExitConfig;
    }

    // 6. The in-memory view of frontends, backends and placements the hot paths read,
    // followed through the store's change feed (other instances' writes).
    cluster::ClusterState cluster_state(*store);
    std::unique_ptr<store::ChangeFeed> feed;
    try {
        cluster_state.reload();
        feed = store->openChangeFeed();
        cluster_state.attach(*feed);
    } catch (const store::StoreError& e) {
        appLog().fatal("cluster_state_failed", {{"error", e.what()}});
        return e.kind() == store::StoreError::Kind::Unavailable ? kExitUnavailable : kExitConfig;
    }
    {
        auto snapshot = cluster_state.snapshot();
        appLog().info("cluster_state_loaded", {{"frontends", std::to_string(snapshot->frontendCount())},
                                               {"backends", std::to_string(snapshot->backendCount())},
                                               {"meetings", std::to_string(snapshot->meetingCount())}});
    }
    releaseFreedHeap();  // what reading every row took is garbage now
    // Core counts through the metrics plugin's handles (the no-op sink's without one); the
    // store times every operation.
    const auto core_metrics = metrics::CoreMetrics::create(plugins->metrics());
    store->timeQueries(&core_metrics.db_query_duration);
    http::RequestMetrics request_metrics(core_metrics, settings.access_log);
    cluster::PollFigures poll_figures;

    gateway::ClusterFrontendDirectory frontends(cluster_state);
    gateway::BbbIngress ingress(frontends, {static_cast<std::size_t>(settings.bbb_max_query_bytes),
                                            static_cast<std::size_t>(settings.bbb_max_body_bytes),
                                            &core_metrics.checksum_failures});

    // 7. The gateway: backend clients (one for forwarded calls, one with the getMeetings
    // timeout for fan-outs), the placer over the balancer plugin, the BBB calls, the
    // callback proxy and the retry-join page.
    using std::chrono::milliseconds;
    cluster::BackendClientOptions backend_options;
    backend_options.connect_timeout = milliseconds(settings.backend_connect_timeout_ms);
    backend_options.response_timeout = milliseconds(settings.backend_response_timeout_ms);
    cluster::BackendClient backend_client(backend_options);
    cluster::BackendClientOptions fan_out_options = backend_options;
    fan_out_options.connect_timeout = std::min(backend_options.connect_timeout,
                                               milliseconds(settings.get_meetings_timeout_ms));
    fan_out_options.response_timeout = milliseconds(settings.get_meetings_timeout_ms);
    cluster::BackendClient fan_out_client(fan_out_options);
    // A forwarded call that finds a backend unreachable asks the controller for an early poll.
    cluster::PollRequests poll_requests;
    const cluster::BackendApi backend_api(backend_client, &poll_requests);
    const cluster::BackendApi fan_out_api(fan_out_client, &poll_requests);
    cluster::Attendance attendance;  // before fan_out: its late tasks still write here
    cluster::FanOut fan_out(32);
    cluster::MeetingPlacer placer(cluster_state, *store, plugins->balancer(), attendance, clock);
    gateway::AttendeeLimit attendee_limit(attendance, fan_out_api, fan_out, clock, milliseconds(2000),
                                          milliseconds(settings.get_meetings_timeout_ms));
    gateway::GatewayOptions gateway_options;
    gateway_options.api_url = settings.api_url;
    gateway_options.jwt_secret = settings.jwt_secret;
    gateway_options.callback_token_ttl_s = settings.callback_token_ttl_s;
    gateway_options.get_meetings_timeout = milliseconds(settings.get_meetings_timeout_ms);
    for (const auto& p : settings.plugins)
        if (p.kind == "balancer") gateway_options.balancer = p.name;
    const gateway::GatewayContext gateway_context{cluster_state, *store,         placer,     backend_api,
                                                  fan_out_api,   fan_out,        attendance, attendee_limit,
                                                  core_metrics,  clock,          gateway_options};
    gateway::registerBbbCalls(ingress, gateway_context);

    // 8. The cluster controller: polls, health, reconciliation, failover marking, shared with
    // every other instance on the database.
    cluster::BackendClientOptions poll_options = backend_options;
    poll_options.response_timeout = milliseconds(settings.poll_timeout_ms);
    cluster::BackendClient poll_client(poll_options);
    const cluster::BackendApi poll_api(poll_client);
    cluster::ControllerOptions controller_options;
    controller_options.interval = settings.poll_interval;
    controller_options.retry_interval = settings.poll_retry_interval;
    controller_options.poll_deadline = poll_options.connect_timeout + poll_options.response_timeout;
    controller_options.health = {settings.poll_fail_count, settings.poll_recover_count};
    controller_options.workers = settings.cmd_worker_pool_size;
    controller_options.lost_meeting_retention = settings.lost_meeting_retention;
    controller_options.agent_silence = settings.agent_heartbeat_timeout;
    controller_options.metrics = &core_metrics;
    cluster::ClusterController controller(cluster_state, *store, poll_api, poll_requests, clock, controller_options);
    controller.addListener([&poll_figures](const store::Backend& backend, const cluster::PollResult& poll) {
        poll_figures.observe(backend.id, poll);
    });
    controller.addListener([&attendance](const store::Backend& backend, const cluster::PollResult& poll) {
        std::unordered_map<std::string, int> participants;
        for (const auto& m : poll.meetings) participants[m.meeting_id] = m.attendees();
        attendance.measured(backend.id, poll.asked_at_us, std::move(participants));
    });

    cluster::BackendClientOptions callback_options;
    callback_options.connect_timeout = std::chrono::seconds(5);
    callback_options.response_timeout = std::chrono::seconds(10);
    callback_options.max_idle_per_origin = 4;
    cluster::BackendClient callback_client(callback_options);
    callbacks::CallbackDispatcher callback_dispatcher(callback_client);
    const callbacks::CallbackProxy callback_proxy(cluster_state, callback_dispatcher, callback_client, clock,
                                                  {settings.jwt_secret, settings.callback_token_ttl_s});
    const gateway::RetryJoinPage retry_join(settings.jwt_secret, gateway_options.retry_join_refresh_s, clock);

    // 9. The REST API and the command queue it feeds.
    api::ApiContext api_context{*store, cluster_state, clock, store->describe()};
    const api::RestApi rest_api(api_context, plugins->auth());
    cluster::CommandRunner command_runner(*store, cluster_state, backend_api, clock);

    // The figures of the moment for each scrape, from memory.
    const cluster::ClusterMetrics cluster_metrics(cluster_state, attendance, poll_figures, *store, clock,
                                                  settings.metrics_per_meeting);
    plugins->metrics().addSource(cluster_metrics);

    // 10. HTTP.
    Poco::SharedPtr<http::Router> router(new http::Router);
    router->setObserver(&request_metrics);
    addProbeRoutes(*router, *store, cluster_state, *plugins);
    router->addPrefix(
        {"GET", "POST"}, "/bbb/", [&ingress](auto& request, auto& response) { ingress.handle(request, response); },
        "bbb");
    router->addPrefix(
        {"GET", "POST"}, std::string(callbacks::kCallbackProxyPath),
        [&callback_proxy](auto& request, auto& response) { callback_proxy.handle(request, response); }, "callback");
    router->addPrefix(
        {"GET"}, std::string(gateway::kRetryJoinPathPrefix),
        [&retry_join](auto& request, auto& response) { retry_join.handle(request, response); }, "retry_join");
    // After the callback proxy, which shares the prefix. RestApi answers 405 itself.
    const std::vector<std::string> every_method = {"GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"};
    router->add(
        every_method, api::kApiPrefix, [&rest_api](auto& request, auto& response) { rest_api.handle(request, response); },
        "api");
    router->addPrefix(
        every_method, std::string(api::kApiPrefix) + "/",
        [&rest_api](auto& request, auto& response) { rest_api.handle(request, response); }, "api");
    std::unique_ptr<http::HttpServer> server;
    try {
        server = std::make_unique<http::HttpServer>(settings, router);
    } catch (const Poco::Exception& e) {
        appLog().fatal("listen_failed", {{"variable", "B3SCALE_LISTEN_HTTP"},
                                         {"address", settings.listen.toString()},
                                         {"error", e.displayText()}});
        return kExitConfig;
    }
    // Access-log lines go out in batches; this writes them at least every 100 ms and at the end.
    std::optional<log::DeferredLogFlusher> log_flusher(std::in_place);
    server->start();
    controller.start();
    command_runner.start();
    appLog().info("ready", {{"listen", server->boundAddress().toString()},
                            {"plugins", fmt::format("{}", fmt::join(plugins->describe(), ","))}});

    waitForTerminationRequest();

    // Reverse order: stop accepting and drain, then plugins, then the store.
    appLog().info("shutdown_started", {{"grace_s", std::to_string(settings.shutdown_grace_s)}});
    bool drained = server->shutdown(std::chrono::seconds(settings.shutdown_grace_s));
    appLog().info("http_stopped", {{"drained", yesNo(drained)}});
    server.reset();
    log_flusher.reset();
    router = nullptr;
    command_runner.stop();
    controller.stop();
    plugins->metrics().removeSource(cluster_metrics);
    store->timeQueries(nullptr);
    feed->stop();
    plugins->release();
    plugins.reset();
    store.reset();
    appLog().info("stopped");
    return kExitOk;
}

}  // namespace b3s::core::app
