#include "app/server_app.hpp"

#include "app/api_part.hpp"
#include "app/backend_links_part.hpp"
#include "app/cluster_view_part.hpp"
#include "app/config_help.hpp"
#include "app/config_reloader.hpp"
#include "app/controller_part.hpp"
#include "app/gateway_part.hpp"
#include "app/http_front_part.hpp"
#include "app/metrics_part.hpp"
#include "app/plugins_part.hpp"
#include "app/recordings_part.hpp"
#include "app/store_part.hpp"
#include "app/telemetry_part.hpp"
#include "app/watchdog_part.hpp"
#include "config/env_files.hpp"
#include "log/logger.hpp"
#include "os/journal_stream.hpp"
#include "os/process_signals.hpp"
#include "store/database_url.hpp"
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

}  // namespace

ServerApp::ServerApp() {
    setUnixOptions(true);
    // OpenSSL for https backends, once per process.
    Poco::Net::initializeSSL();
}

ServerApp::~ServerApp() {
    Poco::Net::uninitializeSSL();
}

void ServerApp::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    using Poco::Util::Option;
    options.addOption(Option("help", "h", "print the command-line options and exit").required(false).repeatable(false));
    options.addOption(Option("help-config", "", "print every B3SCALE_* variable b3scaled reads and exit")
                          .required(false)
                          .repeatable(false));
    options.addOption(Option("version", "v", "print the version and exit").required(false).repeatable(false));
    options.addOption(Option("check-config", "", "validate the configuration and load the plugins, then exit")
                          .required(false)
                          .repeatable(false));
    options.addOption(
        Option("migrate", "", "apply pending database migrations, then exit").required(false).repeatable(false));
}

void ServerApp::handleOption(const std::string& name, const std::string& value) {
    ServerApplication::handleOption(name, value);
    if (name == "help")
        mode_ = Mode::Help;
    else if (name == "help-config")
        mode_ = Mode::HelpConfig;
    else if (name == "version")
        mode_ = Mode::Version;
    else if (name == "check-config")
        mode_ = Mode::CheckConfig;
    else if (name == "migrate")
        mode_ = Mode::Migrate;
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
            help.setHeader(
                "b3scale: a multi-tenant load balancer for BigBlueButton. Configured by B3SCALE_* "
                "environment variables only (b3scaled --help-config lists them).");
            help.format(std::cout);
            return kExitOk;
        }
        case Mode::HelpConfig:
            // The env files as for serving, so B3SCALE_PLUGIN_DIR set there is followed.
            if (config::Environment::fromProcess().get("B3SCALE_DB_URL") == std::nullopt)
                config::loadEnvFiles(config::defaultEnvFiles());
            return printConfigHelp(std::cout, std::cerr, config::Environment::fromProcess(),
                                   boost::dll::program_location().parent_path());
        default: return runMode(mode_);
    }
}

int ServerApp::runMode(Mode mode) {
    // Before any part starts a thread: every thread inherits the mask, so the signals reach
    // the signal loop only. The one-shot modes keep the default actions (SIGTERM ends them).
    if (mode == Mode::Serve) os::ProcessSignals::block();
    // Env files, as b3scale: only when B3SCALE_DB_URL is not given.
    std::vector<std::string> env_files;
    if (config::Environment::fromProcess().get("B3SCALE_DB_URL") == std::nullopt)
        env_files = config::loadEnvFiles(config::defaultEnvFiles());
    if (mode == Mode::Serve) env_files_at_start_ = config::readEnvFiles(config::defaultEnvFiles()).variables;
    const config::Environment env = config::Environment::fromProcess();

    // Logging first, so every later error is one line in the chosen format.
    config::CoreSettings settings;
    try {
        auto& sink = log::LogSink::instance();
        sink.setPriorityPrefix(os::stderrIsJournal());
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
                             {"http_request_timeout_s", std::to_string(settings.http_request_timeout_s)}});
    for (const auto& retired : config::retiredKeys())
        if (const auto value = env.get(retired.name); value && config::asksForRetiredFeature(*value))
            appLog().warn("setting_not_supported", {{"variable", retired.name}, {"note", retired.note}});
    if (settings.api_url_is_default)
        appLog().warn("api_url_defaulted",
                      {{"api_url", settings.api_url}, {"hint", "set B3SCALE_API_URL to b3scale's public URL"}});
    // A reminder, never the value: a rotation left open keeps the old master's tokens valid.
    if (!settings.jwt_secret_previous.empty())
        appLog().info("jwt_secret_previous_accepted",
                      {{"hint",
                        "what the previous master's keys signed is still accepted; unset "
                        "B3SCALE_API_JWT_SECRET_PREVIOUS when the rotation is over (SECURITY.md)"}});

    PartStack parts;
    try {
        assemble(mode, settings, env, parts);
    } catch (const StartupError& e) {
        std::vector<log::LogField> fields;
        for (const auto& [key, value] : e.fields()) fields.push_back({key, value});
        log::LogSink::instance().write(log::LogLevel::Fatal, appLog().name(), e.event(), fields);
        return e.exitCode();
    }
    parts.stopAll();
    if (mode == Mode::Serve) appLog().info("stopped");
    return kExitOk;
}

void ServerApp::assemble(Mode mode, const config::CoreSettings& settings, const config::Environment& env,
                         PartStack& parts) {
    static const SystemClock clock;
    auto& store = parts.start<StorePart>(settings, clock);
    if (mode == Mode::Migrate) return store.migrate();
    auto& plugins = parts.start<PluginsPart>(settings, env, clock).plugins();
    if (mode == Mode::CheckConfig) {
        appLog().info("config_ok", {{"plugins", fmt::format("{}", fmt::join(plugins.describe(), ","))}});
        return;
    }
    store.requireCurrentSchema();
    auto& metrics = parts.start<MetricsPart>(plugins, store.store());
    auto& view = parts.start<ClusterViewPart>(store.store());
    auto& telemetry = parts.start<TelemetryPart>(settings, plugins, store.store(), metrics, view, clock);
    auto& links = parts.start<BackendLinksPart>(settings, view);
    auto& recordings = parts.start<RecordingsPart>(settings, store.store(), plugins, view, clock);
    auto& gateway = parts.start<GatewayPart>(settings, store.store(), plugins, view, links, metrics, recordings, clock);
    auto& controller = parts.start<ControllerPart>(settings, store.store(), view, links, metrics, telemetry, clock);
    auto& api = parts.start<ApiPart>(settings, store.store(), plugins, view, telemetry, recordings, clock);
    auto& front =
        parts.start<HttpFrontPart>(settings, store.store(), view.state(), plugins, telemetry, gateway, api, recordings);
    appLog().info("ready",
                  {{"listen", front.boundAddress().toString()},
                   {"metrics_listen", front.metricsAddress() ? front.metricsAddress()->toString() : "(listen)"},
                   {"plugins", fmt::format("{}", fmt::join(plugins.describe(), ","))}});
    parts.start<WatchdogPart>(settings, notifier_, front, controller);
    const std::string status = "serving on " + front.boundAddress().toString();
    notifier_.ready(status);

    ConfigReloader reloader(config::defaultEnvFiles(), std::move(env_files_at_start_), telemetry.requestMetrics());
    for (;;) {
        const auto received = os::ProcessSignals::wait();
        if (received.request == os::ProcessSignals::Request::Stop) {
            appLog().info("stopping", {{"signal", os::ProcessSignals::name(received.signal)}});
            notifier_.stopping();
            return;
        }
        notifier_.reloading();
        reloader.reload();
        notifier_.ready(status);
    }
}

}  // namespace b3s::core::app
