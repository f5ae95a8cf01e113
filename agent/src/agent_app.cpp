#include "agent_app.hpp"

#include "agent_exit.hpp"
#include "agent_log.hpp"
#include "b3scaled_api.hpp"
#include "backend_registration.hpp"
#include "bbb_properties.hpp"
#include "command_line.hpp"
#include "event_dispatcher.hpp"
#include "heartbeat_loop.hpp"
#include "meetings_seeder.hpp"
#include "redis_subscriber.hpp"
#include "rpc_relay.hpp"
#include "serial_lanes.hpp"
#include "signal_watch.hpp"

#include "b3s/generated/build_info.hpp"
#include "os/journal_stream.hpp"

#include <fmt/format.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <stop_token>
#include <thread>

namespace b3s::agent {
namespace {

constexpr const char* kEventPattern = "*akka-apps-redis-channel";

void logExit(const AgentExit& e) {
    std::vector<core::log::LogField> fields;
    fields.push_back({"error", e.what()});
    for (const auto& [key, value] : e.fields()) fields.push_back({key, value});
    core::log::LogSink::instance().write(core::log::LogLevel::Fatal, agentLog().name(), e.event(), fields);
}

/// Ends the process if stopping takes longer than `deadline` (a part stuck in a call that
/// cannot be interrupted); cancelled when the stop completes.
class StopDeadline {
public:
    explicit StopDeadline(std::chrono::milliseconds deadline) {
        thread_ = std::jthread([deadline](std::stop_token done) {
            std::mutex m;
            std::condition_variable_any cv;
            std::unique_lock lock(m);
            if (cv.wait_for(lock, done, deadline, [] { return false; }) || done.stop_requested()) return;
            agentLog().warn("stop_forced", {{"after_ms", std::to_string(deadline.count())}});
            std::_Exit(kExitOk);
        });
    }

private:
    std::jthread thread_;
};

int serve(const AgentSettings& settings, const BbbNodeConfig& node, const CommandLine& line,
          const AgentOptions& options) {
    std::stop_source stop;
    SignalWatch signals([&](int) { stop.request_stop(); });

    // Start-up: find or register the backend; b3scaled away means waiting, not exiting.
    std::optional<RegisteredBackend> backend;
    {
        B3scaledApi api(settings.api_url, settings.access_token, std::chrono::seconds(15));
        std::stop_callback interrupt(stop.get_token(), [&] { api.interrupt(); });
        backend = registerBackend(api, {node.api_url, node.secret, settings.load_factor, line.register_backend},
                                  stop.get_token());
    }
    if (!backend) {
        agentLog().info("agent_stopped", {{"during", "start-up"}});
        return kExitOk;
    }

    const auto api_with_timeout = [&settings](std::chrono::milliseconds timeout) {
        return std::make_unique<B3scaledApi>(settings.api_url, settings.access_token, timeout);
    };
    // b3scaled holds an RPC up to 15 s while the meeting it names is not stored yet.
    RpcRelay relay(options.relay_lanes, [&] { return api_with_timeout(std::chrono::seconds(30)); });
    SerialLanes<RelayCall> lanes(
        options.relay_lanes, options.lane_capacity,
        [&relay](std::size_t lane, RelayCall& call, const std::stop_token& s) { relay.relay(lane, call, s); });
    EventDispatcher* dispatcher_of_seeder = nullptr;
    MeetingsSeeder seeder(node.api_url, node.secret, [&](std::uint64_t generation, MeetingSnapshot snapshot) {
        dispatcher_of_seeder->deliverSeed(generation, std::move(snapshot));
    });
    EventDispatcher dispatcher(lanes, options.inbox_capacity,
                               [&seeder](std::uint64_t generation) { seeder.request(generation); });
    dispatcher_of_seeder = &dispatcher;
    HeartbeatLoop heartbeat(
        api_with_timeout(std::chrono::seconds(5)), [&dispatcher] { return dispatcher.counts(); },
        settings.host_figures ? std::make_unique<HostFigureSampler>() : nullptr);
    RedisSubscriber subscriber({node.redis_host, node.redis_port, node.redis_password}, kEventPattern,
                               {[&dispatcher] { dispatcher.requestSeed(); },
                                [&dispatcher](std::string message) {
                                    if (mayBeRelayed(message)) dispatcher.offer(std::move(message));
                                },
                                [&dispatcher](const std::string&) { dispatcher.forgetCounts(); }});

    heartbeat.start();
    seeder.start();
    dispatcher.start();
    subscriber.start();
    agentLog().info("agent_running", {{"backend", backend->id},
                                      {"admin_state", backend->admin_state},
                                      {"relay_lanes", std::to_string(options.relay_lanes)}});

    {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        cv.wait(lock, stop.get_token(), [] { return false; });
    }

    const auto stopping_since = std::chrono::steady_clock::now();
    StopDeadline deadline(options.stop_deadline);
    subscriber.stop();
    dispatcher.stop();
    lanes.requestStop();
    relay.interrupt();
    lanes.stop();
    seeder.stop();
    heartbeat.stop();
    const auto received = dispatcher.stats();
    const auto sent = relay.stats();
    agentLog().info("agent_stopped", {{"events_received", std::to_string(received.received)},
                                      {"events_relayed", std::to_string(sent.relayed)},
                                      {"events_refused", std::to_string(sent.refused)},
                                      {"events_skipped", std::to_string(sent.skipped)},
                                      {"events_dropped", std::to_string(received.dropped)},
                                      {"events_abandoned", std::to_string(lanes.pending())},
                                      {"stop_ms", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                     std::chrono::steady_clock::now() - stopping_since)
                                                                     .count())}});
    return kExitOk;
}

}  // namespace

AgentApp::AgentApp(EnvLookup env, AgentOptions options) : env_(std::move(env)), options_(std::move(options)) {}

int AgentApp::run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CommandLine line;
    try {
        line = parseCommandLine(args);
    } catch (const UsageError& e) {
        err << "b3scaleagent: " << e.what() << "\n";
        return kExitUsage;
    }
    if (line.help) {
        out << helpText();
        return kExitOk;
    }
    if (line.version) {
        out << versionText() << "\n";
        return kExitOk;
    }

    auto& sink = core::log::LogSink::instance();
    sink.setPriorityPrefix(core::os::stderrIsJournal());
    try {
        AgentSettings log_settings;
        readLogSettings(env_, log_settings);
        sink.configure(log_settings.log_format, log_settings.log_level);
        const auto settings = readAgentSettings(env_);
        agentLog().info("agent_started", {{"version", core::build::kVersion},
                                          {"build", core::build::kBuildId},
                                          {"api_url", settings.api_url},
                                          {"bbb_config", settings.bbb_config.string()},
                                          {"load_factor", fmt::format("{}", settings.load_factor)},
                                          {"host_figures", settings.host_figures ? "true" : "false"},
                                          {"register", line.register_backend ? "true" : "false"}});
        for (const auto& file : options_.env_files_read) agentLog().info("env_file_loaded", {{"path", file}});
        const auto node = readBbbNodeConfig(settings.bbb_config);
        agentLog().info("bbb_config_read", {{"file", settings.bbb_config.string()},
                                            {"bbb_api_url", node.api_url},
                                            {"redis", node.redis_host + ":" + std::to_string(node.redis_port)},
                                            {"redis_password", node.redis_password.empty() ? "unset" : "set"}});
        return serve(settings, node, line, options_);
    } catch (const AgentExit& e) {
        logExit(e);
        return e.code();
    } catch (const std::invalid_argument& e) {
        // A URL Poco cannot take apart although it starts with http(s)://.
        logExit(configError("B3SCALE_API_URL", e.what()));
        return kExitConfig;
    }
}

}  // namespace b3s::agent
