#include "cluster/command_runner.hpp"

#include "bbb/meeting_state.hpp"
#include "log/logger.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace b3s::core::cluster {
namespace {

log::Logger& commandLog() {
    static log::Logger l("b3s.core.cluster");
    return l;
}

// A command running longer than this is taken to have died with its instance.
constexpr store::Micros kLeaseUs = 10LL * 60 * 1'000'000;
// Finished commands stay readable (GET /api/v1/commands/{id}) this long after their deadline.
constexpr store::Micros kKeepFinishedUs = 60LL * 60 * 1'000'000;

std::string jsonString(const std::string& text) {
    Poco::JSON::Object o;
    o.set("v", text);
    std::ostringstream out;
    o.stringify(out);
    const auto s = out.str();
    return s.substr(5, s.size() - 6);  // {"v":<here>}
}

std::optional<std::string> backendIdOf(const std::string& params_json) {
    try {
        Poco::JSON::Parser parser;
        const auto object = parser.parse(params_json).extract<Poco::JSON::Object::Ptr>();
        if (object && object->has("BackendID")) return object->getValue<std::string>("BackendID");
    } catch (const Poco::Exception& e) {
        // The API validated it on the way in; a row that does not parse ends as "no such backend".
        commandLog().warn("command_params_unreadable", {{"error", e.displayText()}});
    }
    return std::nullopt;
}

}  // namespace

CommandRunner::CommandRunner(store::Store& store, ClusterState& cluster, const BackendApi& api, const Clock& clock,
                             std::chrono::milliseconds poll_every)
    : store_(store), cluster_(cluster), api_(api), clock_(clock), poll_every_(poll_every) {}

CommandRunner::~CommandRunner() {
    stop();
}

void CommandRunner::start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { loop(); });
}

void CommandRunner::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void CommandRunner::loop() {
    auto next_cleanup = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            while (runOne()) {
            }
            if (std::chrono::steady_clock::now() >= next_cleanup) {
                next_cleanup = std::chrono::steady_clock::now() + std::chrono::minutes(1);
                store_.deleteFinishedCommands(clock_.nowMicros() - kKeepFinishedUs);
            }
        } catch (const store::StoreError& e) {
            commandLog().debug("command_queue_unavailable", {{"error", e.what()}});
        }
        lock.lock();
        wake_.wait_for(lock, poll_every_, [this] { return stopping_; });
    }
}

bool CommandRunner::runOne() {
    const auto command = store_.claimCommand(clock_.nowMicros(), kLeaseUs);
    if (!command) return false;
    commandLog().info("command_started", {{"id", command->id}, {"action", command->action}});
    Outcome outcome;
    if (command->action == "end_all_meetings")
        outcome = endAllMeetings(*command);
    else
        outcome = {false, jsonString("command unknown")};
    store_.finishCommand(command->id, outcome.succeeded, outcome.result_json, clock_.nowMicros());
    commandLog().log(outcome.succeeded ? log::LogLevel::Info : log::LogLevel::Warn, "command_finished",
                     {{"id", command->id}, {"action", command->action}, {"result", outcome.result_json}});
    return true;
}

CommandRunner::Outcome CommandRunner::endAllMeetings(const store::Command& command) {
    const auto backend_id = backendIdOf(command.params_json);
    const auto backend = backend_id ? store_.findBackend(*backend_id) : std::nullopt;
    if (!backend) return {false, jsonString("no such backend")};
    for (const auto& meeting : store_.listMeetingsOnBackend(backend->id)) {
        if (!meeting.internal_id) continue;  // a create still on its way: nothing to end yet
        bbb::ParamList params;
        params.set("meetingID", meeting.id);
        if (auto password = bbb::meetingStateField(meeting.state_json, "ModeratorPW"))
            params.set("password", *password);
        const auto result = api_.call(*backend, {"end", params, {}});
        if (!result.answered()) return {false, jsonString("end meeting failed: " + result.error)};
        if (!result.succeeded() && result.messageKey() != "notFound")
            return {false, jsonString("end meeting failed: " + result.messageKey())};
        if (store_.deleteMeeting(meeting.frontend_id, meeting.id)) cluster_.removeMeeting(meeting.id);
    }
    return {true, "true"};
}

}  // namespace b3s::core::cluster
