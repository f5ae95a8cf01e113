#pragma once
// The one SQL implementation of Store, over Poco::Data, for PostgreSQL and SQLite alike;
// SqlDialect holds what differs. Poco::Data stays inside sql_store.cpp and
// connection_pool.cpp (its templates compile slowly), so this header does not include it.
//
// Representation (same in both connectors):
//  - timestamps: BIGINT epoch microseconds UTC from the injected clock (`*_at_us`,
//    `agent_heartbeat_us`, `latency_us`); never a timestamp column, never Poco::DateTime;
//  - ids: uuid (PostgreSQL) / TEXT (SQLite), generated here with Poco's random
//    UUIDGenerator, bound and read as canonical lowercase text; a malformed id is a
//    lookup miss, not an error;
//  - JSON: jsonb (PostgreSQL, which normalises the text) / TEXT checked by json_valid;
//  - backend tags: a JSON array of strings in backends.tags;
//  - nullable columns go through Poco::Nullable, so NULL and "" (or 0) stay distinct;
//  - rows are mapped by name: table_maps.hpp names each column once, with its member and
//    codec, and every SELECT list, row reader and whole-row INSERT/UPDATE is generated from it.
//
// SQLite: the store holds the database's instance lock (sqlite_instance_lock.hpp) for its
// lifetime, so a second b3scaled process is refused at open.
//
// Every write runs in an explicit transaction (SQLite: BEGIN IMMEDIATE). When a pooled
// session turns out dead before COMMIT was sent, the operation is repeated once on a
// newly opened session; a failure at or after COMMIT is reported as Unavailable, since
// its outcome is unknown.

#include "store/database_url.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace Poco::Data {
class Session;
}

namespace b3s::core::store {

class ConnectionPool;
class SqlDialect;
class SqliteInstanceLock;

class SqlStore final : public Store {
public:
    SqlStore(DatabaseTarget target, const StoreOptions& options, const Clock& clock);
    /// Test seam: a store that knows `migrations` instead of schemaMigrations(), to play a
    /// binary older or newer than the database.
    SqlStore(DatabaseTarget target, const StoreOptions& options, const Clock& clock, std::vector<Migration> migrations);
    ~SqlStore() override;

    std::string_view connectorName() const override;
    bool supportsSeveralInstances() const override;
    std::string describe() const override;

    void ping() override;
    SchemaStatus schemaStatus() override;
    std::vector<int> migrate() override;

    Backend insertBackend(const Backend& b) override;
    std::optional<Backend> findBackend(std::string_view id) override;
    std::vector<Backend> listBackends() override;
    std::optional<Backend> updateBackend(const Backend& b) override;
    bool deleteBackend(std::string_view id) override;

    Frontend insertFrontend(const Frontend& f) override;
    std::optional<Frontend> findFrontend(std::string_view id) override;
    std::optional<Frontend> findFrontendByKey(std::string_view key) override;
    std::vector<Frontend> listFrontends() override;
    std::optional<Frontend> updateFrontend(const Frontend& f) override;
    bool deleteFrontend(std::string_view id) override;

    Meeting insertMeeting(const Meeting& m) override;
    std::optional<Meeting> findMeeting(std::string_view frontend_id, std::string_view meeting_id) override;
    std::vector<Meeting> listMeetings(std::string_view frontend_id) override;
    bool deleteMeeting(std::string_view frontend_id, std::string_view meeting_id) override;
    std::optional<Meeting> markMeetingCreated(std::string_view frontend_id, std::string_view meeting_id,
                                              std::string_view backend_id, std::string_view internal_id,
                                              std::string_view state_json) override;
    std::optional<Meeting> moveMeeting(std::string_view frontend_id, std::string_view meeting_id,
                                       const std::optional<std::string>& from_backend,
                                       std::string_view to_backend) override;
    bool deletePendingMeeting(std::string_view frontend_id, std::string_view meeting_id,
                              std::string_view backend_id) override;
    std::vector<PollLease> claimDuePolls(Micros now, Micros interval, Micros lease, int limit) override;
    std::optional<RecordedPoll> recordPoll(const PollLease& lease, const PollRecord& record) override;
    bool requestPoll(std::string_view backend_id, Micros at) override;
    bool deferPoll(const PollLease& lease, Micros due) override;
    std::optional<Backend> recordObservation(std::string_view backend_id, const PollRecord& record) override;
    std::vector<Meeting> listMeetingsOnBackend(std::string_view backend_id) override;
    std::vector<Meeting> markMeetingsLost(std::string_view backend_id, Micros at) override;
    std::optional<Meeting> markMeetingLost(std::string_view frontend_id, std::string_view meeting_id,
                                           std::string_view backend_id, Micros at) override;
    std::optional<Meeting> restoreLostMeeting(const Meeting& lost, std::string_view from_backend, Micros at) override;
    std::optional<Meeting> clearMeetingLost(std::string_view meeting_id, std::string_view backend_id) override;
    bool deleteVanishedMeeting(std::string_view meeting_id, std::string_view backend_id,
                               Micros unchanged_since) override;
    std::vector<std::string> deleteLostMeetings(Micros before) override;
    bool deleteDrainedBackend(std::string_view backend_id) override;
    std::optional<Micros> findMeetingEnd(std::string_view frontend_id, std::string_view meeting_id,
                                         Micros created_at) override;
    std::optional<Micros> lastMeetingEnd(std::string_view meeting_id) override;
    std::size_t deleteMeetingEnds(Micros before) override;
    std::vector<Meeting> listAllMeetings() override;
    std::optional<Meeting> findMeetingById(std::string_view id) override;
    std::optional<Meeting> findMeetingByInternalId(std::string_view internal_id) override;
    std::optional<Meeting> updateMeetingState(std::string_view id, std::string_view state_json) override;
    std::vector<Frontend> listFrontendsOfAccount(std::string_view account_ref) override;
    std::optional<Frontend> findFrontendOfAccount(std::string_view id, std::string_view account_ref) override;
    std::optional<Backend> findBackendByAgent(std::string_view agent_ref) override;
    std::optional<Backend> recordHeartbeat(std::string_view backend_id, Micros at,
                                           const std::optional<AgentReport>& report) override;
    Recording upsertRecording(const Recording& r) override;
    std::optional<Recording> findRecording(std::string_view frontend_id, std::string_view record_id) override;
    std::optional<Recording> findRecordingById(std::string_view record_id) override;
    RecordingPage listRecordings(const RecordingQuery& query) override;
    std::optional<Recording> updateRecording(const Recording& r) override;
    bool deleteRecording(std::string_view frontend_id, std::string_view record_id) override;
    std::int64_t countRecordings(std::string_view frontend_id) override;

    Command insertCommand(std::string_view action, std::string_view params_json, Micros deadline) override;
    std::optional<Command> findCommand(std::string_view id) override;
    std::vector<Command> listCommands() override;
    std::optional<Command> claimCommand(Micros now, Micros lease) override;
    bool finishCommand(std::string_view id, bool succeeded, std::string_view result_json, Micros at) override;
    int deleteFinishedCommands(Micros before) override;

    std::optional<OutboxCallback> insertCallback(const OutboxCallback& c) override;
    std::optional<OutboxCallback> findCallback(std::string_view id) override;
    std::vector<OutboxCallback> listCallbacks(const std::vector<std::string>& states, int limit) override;
    std::vector<OutboxCallback> claimCallbacks(const CallbackClaim& claim) override;
    bool finishCallback(std::string_view id, std::string_view claimed_by, const CallbackOutcome& outcome) override;
    bool retryCallback(std::string_view id, Micros at) override;
    int deleteFinishedCallbacks(Micros delivered_before, Micros dead_before) override;
    CallbackCounts countCallbacks() override;

    std::unique_ptr<ChangeFeed> openChangeFeed() override;

    PoolStats poolStats() const override;
    void timeQueries(const metrics::Histogram* histogram) override { query_timer_ = histogram; }

    // Test seams.
    /// Runs `while_held` while holding one pooled connection (opened if needed), exactly
    /// as an operation would; exceptions from `while_held` propagate as StoreError.
    void withConnection(const std::function<void()>& while_held);

private:
    std::atomic<const metrics::Histogram*> query_timer_{nullptr};
    /// The observed columns of recordPoll and recordObservation, inside the caller's transaction.
    std::optional<Backend> writeObservation(Poco::Data::Session& s, const std::string& backend_id,
                                            const PollRecord& record);
    /// markMeetingsLost inside the caller's transaction.
    std::vector<Meeting> markLost(Poco::Data::Session& s, const std::string& backend_id, Micros at);
    /// Deletes the meeting `id` if `condition` (SQL on meetings, `params` bound after the id)
    /// holds, recording its end (meeting_ends) first, inside the caller's transaction.
    /// Returns whether it was deleted.
    template <class... Params>
    bool deleteMeetingRecordingEnd(Poco::Data::Session& s, const std::string& id, const std::string& condition,
                                   const Params&... params);
    enum class Access { Read, Write };
    template <class Body>
    auto run(std::string_view operation, Access access, Body&& body);

    Poco::Data::Session openSession();
    std::string sql(std::string_view portable) const;
    bool migrateOne(const Migration& m, int latest);

    DatabaseTarget target_;
    // Declared before pool_, so destroyed after it: every session is closed before another
    // process may open the file.
    std::unique_ptr<SqliteInstanceLock> instance_lock_;
    StoreOptions options_;
    const Clock& clock_;
    std::unique_ptr<SqlDialect> dialect_;
    std::vector<Migration> migrations_;
    std::unique_ptr<ConnectionPool> pool_;
};

/// `id` as canonical lowercase uuid text, or empty when it is not a uuid.
std::string canonicalUuid(std::string_view id);

}  // namespace b3s::core::store
