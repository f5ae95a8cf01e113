#pragma once
// A Store that forwards every call to a real one, after a hook that may block or throw:
// lets the cluster tests make the store fail or stall at an exact call.

#include "store/store.hpp"

#include <functional>
#include <mutex>
#include <string_view>

namespace b3s::test {

class ForwardingStore final : public core::store::Store {
public:
    /// Called with the method's name before each forwarded call; may throw StoreError.
    using Hook = std::function<void(std::string_view operation)>;

    explicit ForwardingStore(core::store::Store& inner) : inner_(inner) {}

    void setHook(Hook hook) {
        std::lock_guard lock(mutex_);
        hook_ = std::move(hook);
    }

    std::string_view connectorName() const override { return inner_.connectorName(); }
    bool supportsSeveralInstances() const override { return inner_.supportsSeveralInstances(); }
    std::string describe() const override { return inner_.describe(); }
    void ping() override {
        before("ping");
        inner_.ping();
    }
    core::store::SchemaStatus schemaStatus() override {
        before("schemaStatus");
        return inner_.schemaStatus();
    }
    std::vector<int> migrate() override {
        before("migrate");
        return inner_.migrate();
    }

    core::store::Backend insertBackend(const core::store::Backend& b) override {
        before("insertBackend");
        return inner_.insertBackend(b);
    }
    std::optional<core::store::Backend> findBackend(std::string_view id) override {
        before("findBackend");
        return inner_.findBackend(id);
    }
    std::vector<core::store::Backend> listBackends() override {
        before("listBackends");
        return inner_.listBackends();
    }
    std::optional<core::store::Backend> updateBackend(const core::store::Backend& b) override {
        before("updateBackend");
        return inner_.updateBackend(b);
    }
    bool deleteBackend(std::string_view id) override {
        before("deleteBackend");
        return inner_.deleteBackend(id);
    }

    core::store::Frontend insertFrontend(const core::store::Frontend& f) override {
        before("insertFrontend");
        return inner_.insertFrontend(f);
    }
    std::optional<core::store::Frontend> findFrontend(std::string_view id) override {
        before("findFrontend");
        return inner_.findFrontend(id);
    }
    std::optional<core::store::Frontend> findFrontendByKey(std::string_view key) override {
        before("findFrontendByKey");
        return inner_.findFrontendByKey(key);
    }
    std::vector<core::store::Frontend> listFrontends() override {
        before("listFrontends");
        return inner_.listFrontends();
    }
    std::optional<core::store::Frontend> updateFrontend(const core::store::Frontend& f) override {
        before("updateFrontend");
        return inner_.updateFrontend(f);
    }
    bool deleteFrontend(std::string_view id) override {
        before("deleteFrontend");
        return inner_.deleteFrontend(id);
    }

    core::store::Meeting insertMeeting(const core::store::Meeting& m) override {
        before("insertMeeting");
        return inner_.insertMeeting(m);
    }
    std::optional<core::store::Meeting> findMeeting(std::string_view frontend_id,
                                                    std::string_view meeting_id) override {
        before("findMeeting");
        return inner_.findMeeting(frontend_id, meeting_id);
    }
    std::vector<core::store::Meeting> listMeetings(std::string_view frontend_id) override {
        before("listMeetings");
        return inner_.listMeetings(frontend_id);
    }
    bool deleteMeeting(std::string_view frontend_id, std::string_view meeting_id) override {
        before("deleteMeeting");
        return inner_.deleteMeeting(frontend_id, meeting_id);
    }
    std::optional<core::store::Meeting> markMeetingCreated(std::string_view frontend_id, std::string_view meeting_id,
                                                           std::string_view backend_id, std::string_view internal_id,
                                                           std::string_view state_json) override {
        before("markMeetingCreated");
        return inner_.markMeetingCreated(frontend_id, meeting_id, backend_id, internal_id, state_json);
    }
    std::optional<core::store::Meeting> moveMeeting(std::string_view frontend_id, std::string_view meeting_id,
                                                    const std::optional<std::string>& from_backend,
                                                    std::string_view to_backend) override {
        before("moveMeeting");
        return inner_.moveMeeting(frontend_id, meeting_id, from_backend, to_backend);
    }
    bool deletePendingMeeting(std::string_view frontend_id, std::string_view meeting_id,
                              std::string_view backend_id) override {
        before("deletePendingMeeting");
        return inner_.deletePendingMeeting(frontend_id, meeting_id, backend_id);
    }
    std::vector<core::store::PollLease> claimDuePolls(core::store::Micros now, core::store::Micros interval,
                                                      core::store::Micros lease, int limit) override {
        before("claimDuePolls");
        return inner_.claimDuePolls(now, interval, lease, limit);
    }
    std::optional<core::store::RecordedPoll> recordPoll(const core::store::PollLease& lease,
                                                        const core::store::PollRecord& record) override {
        before("recordPoll");
        return inner_.recordPoll(lease, record);
    }
    bool requestPoll(std::string_view backend_id, core::store::Micros at) override {
        before("requestPoll");
        return inner_.requestPoll(backend_id, at);
    }
    bool deferPoll(const core::store::PollLease& lease, core::store::Micros due) override {
        before("deferPoll");
        return inner_.deferPoll(lease, due);
    }
    std::optional<core::store::Backend> recordObservation(std::string_view backend_id,
                                                          const core::store::PollRecord& record) override {
        before("recordObservation");
        return inner_.recordObservation(backend_id, record);
    }
    std::vector<core::store::Meeting> listMeetingsOnBackend(std::string_view backend_id) override {
        before("listMeetingsOnBackend");
        return inner_.listMeetingsOnBackend(backend_id);
    }
    std::vector<core::store::Meeting> markMeetingsLost(std::string_view backend_id, core::store::Micros at) override {
        before("markMeetingsLost");
        return inner_.markMeetingsLost(backend_id, at);
    }
    std::optional<core::store::Meeting> markMeetingLost(std::string_view frontend_id, std::string_view meeting_id,
                                                        std::string_view backend_id, core::store::Micros at) override {
        before("markMeetingLost");
        return inner_.markMeetingLost(frontend_id, meeting_id, backend_id, at);
    }
    std::optional<core::store::Meeting> restoreLostMeeting(const core::store::Meeting& lost,
                                                           std::string_view from_backend,
                                                           core::store::Micros at) override {
        before("restoreLostMeeting");
        return inner_.restoreLostMeeting(lost, from_backend, at);
    }
    std::optional<core::store::Meeting> clearMeetingLost(std::string_view meeting_id,
                                                         std::string_view backend_id) override {
        before("clearMeetingLost");
        return inner_.clearMeetingLost(meeting_id, backend_id);
    }
    bool deleteVanishedMeeting(std::string_view meeting_id, std::string_view backend_id,
                               core::store::Micros unchanged_since) override {
        before("deleteVanishedMeeting");
        return inner_.deleteVanishedMeeting(meeting_id, backend_id, unchanged_since);
    }
    std::vector<std::string> deleteLostMeetings(core::store::Micros before_us) override {
        before("deleteLostMeetings");
        return inner_.deleteLostMeetings(before_us);
    }
    bool deleteDrainedBackend(std::string_view backend_id) override {
        before("deleteDrainedBackend");
        return inner_.deleteDrainedBackend(backend_id);
    }
    std::optional<core::store::Micros> findMeetingEnd(std::string_view frontend_id, std::string_view meeting_id,
                                                      core::store::Micros created_at) override {
        before("findMeetingEnd");
        return inner_.findMeetingEnd(frontend_id, meeting_id, created_at);
    }
    std::optional<core::store::Micros> lastMeetingEnd(std::string_view meeting_id) override {
        before("lastMeetingEnd");
        return inner_.lastMeetingEnd(meeting_id);
    }
    std::size_t deleteMeetingEnds(core::store::Micros before_us) override {
        before("deleteMeetingEnds");
        return inner_.deleteMeetingEnds(before_us);
    }
    std::optional<core::store::Meeting> findMeetingByInternalId(std::string_view internal_id) override {
        before("findMeetingByInternalId");
        return inner_.findMeetingByInternalId(internal_id);
    }
    std::optional<core::store::Meeting> updateMeetingState(std::string_view id, std::string_view state_json) override {
        before("updateMeetingState");
        return inner_.updateMeetingState(id, state_json);
    }
    std::vector<core::store::Frontend> listFrontendsOfAccount(std::string_view account_ref) override {
        before("listFrontendsOfAccount");
        return inner_.listFrontendsOfAccount(account_ref);
    }
    std::optional<core::store::Frontend> findFrontendOfAccount(std::string_view id,
                                                               std::string_view account_ref) override {
        before("findFrontendOfAccount");
        return inner_.findFrontendOfAccount(id, account_ref);
    }
    std::optional<core::store::Backend> findBackendByAgent(std::string_view agent_ref) override {
        before("findBackendByAgent");
        return inner_.findBackendByAgent(agent_ref);
    }
    std::optional<core::store::Backend> recordHeartbeat(
        std::string_view backend_id, core::store::Micros at,
        const std::optional<core::store::AgentReport>& report) override {
        before("recordHeartbeat");
        return inner_.recordHeartbeat(backend_id, at, report);
    }
    core::store::Recording upsertRecording(const core::store::Recording& r) override {
        before("upsertRecording");
        return inner_.upsertRecording(r);
    }
    std::optional<core::store::Recording> findRecording(std::string_view frontend_id,
                                                        std::string_view record_id) override {
        before("findRecording");
        return inner_.findRecording(frontend_id, record_id);
    }
    std::optional<core::store::Recording> findRecordingById(std::string_view record_id) override {
        before("findRecordingById");
        return inner_.findRecordingById(record_id);
    }
    core::store::RecordingPage listRecordings(const core::store::RecordingQuery& query) override {
        before("listRecordings");
        return inner_.listRecordings(query);
    }
    std::optional<core::store::Recording> updateRecording(const core::store::Recording& r) override {
        before("updateRecording");
        return inner_.updateRecording(r);
    }
    bool deleteRecording(std::string_view frontend_id, std::string_view record_id) override {
        before("deleteRecording");
        return inner_.deleteRecording(frontend_id, record_id);
    }
    std::int64_t countRecordings(std::string_view frontend_id) override {
        before("countRecordings");
        return inner_.countRecordings(frontend_id);
    }
    core::store::Command insertCommand(std::string_view action, std::string_view params_json,
                                       core::store::Micros deadline) override {
        before("insertCommand");
        return inner_.insertCommand(action, params_json, deadline);
    }
    std::optional<core::store::Command> findCommand(std::string_view id) override {
        before("findCommand");
        return inner_.findCommand(id);
    }
    std::vector<core::store::Command> listCommands() override {
        before("listCommands");
        return inner_.listCommands();
    }
    std::optional<core::store::Command> claimCommand(core::store::Micros now, core::store::Micros lease) override {
        before("claimCommand");
        return inner_.claimCommand(now, lease);
    }
    bool finishCommand(std::string_view id, bool succeeded, std::string_view result_json,
                       core::store::Micros at) override {
        before("finishCommand");
        return inner_.finishCommand(id, succeeded, result_json, at);
    }
    int deleteFinishedCommands(core::store::Micros before_us) override {
        before("deleteFinishedCommands");
        return inner_.deleteFinishedCommands(before_us);
    }
    std::optional<core::store::OutboxCallback> insertCallback(const core::store::OutboxCallback& c) override {
        before("insertCallback");
        return inner_.insertCallback(c);
    }
    std::optional<core::store::OutboxCallback> findCallback(std::string_view id) override {
        before("findCallback");
        return inner_.findCallback(id);
    }
    std::vector<core::store::OutboxCallback> listCallbacks(const std::vector<std::string>& states, int limit) override {
        before("listCallbacks");
        return inner_.listCallbacks(states, limit);
    }
    std::vector<core::store::OutboxCallback> claimCallbacks(const core::store::CallbackClaim& claim) override {
        before("claimCallbacks");
        return inner_.claimCallbacks(claim);
    }
    bool finishCallback(std::string_view id, std::string_view claimed_by,
                        const core::store::CallbackOutcome& outcome) override {
        before("finishCallback");
        return inner_.finishCallback(id, claimed_by, outcome);
    }
    bool retryCallback(std::string_view id, core::store::Micros at) override {
        before("retryCallback");
        return inner_.retryCallback(id, at);
    }
    int deleteFinishedCallbacks(core::store::Micros delivered_before, core::store::Micros dead_before) override {
        before("deleteFinishedCallbacks");
        return inner_.deleteFinishedCallbacks(delivered_before, dead_before);
    }
    core::store::CallbackCounts countCallbacks() override {
        before("countCallbacks");
        return inner_.countCallbacks();
    }
    core::store::PoolStats poolStats() const override { return inner_.poolStats(); }
    void timeQueries(const core::metrics::Histogram* histogram) override { inner_.timeQueries(histogram); }
    std::vector<core::store::Meeting> listAllMeetings() override {
        before("listAllMeetings");
        return inner_.listAllMeetings();
    }
    std::optional<core::store::Meeting> findMeetingById(std::string_view id) override {
        before("findMeetingById");
        {
            std::lock_guard lock(mutex_);
            if (stale_meeting_ && stale_meeting_->id == id) return stale_meeting_;
        }
        return inner_.findMeetingById(id);
    }
    /// findMeetingById answers this row for its id (a read that happened earlier), until reset.
    void answerStale(std::optional<core::store::Meeting> meeting) {
        std::lock_guard lock(mutex_);
        stale_meeting_ = std::move(meeting);
    }
    std::unique_ptr<core::store::ChangeFeed> openChangeFeed() override { return inner_.openChangeFeed(); }

private:
    std::optional<core::store::Meeting> stale_meeting_;
    void before(std::string_view operation) {
        Hook hook;
        {
            std::lock_guard lock(mutex_);
            hook = hook_;
        }
        if (hook) hook(operation);
    }

    core::store::Store& inner_;
    std::mutex mutex_;
    Hook hook_;
};

}  // namespace b3s::test
