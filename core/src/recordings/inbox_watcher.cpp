#include "recordings/inbox_watcher.hpp"

#include "log/logger.hpp"

namespace b3s::core::recordings {

namespace {

const log::Logger& watcherLog() {
    static const log::Logger log("b3s.core.recordings");
    return log;
}

}  // namespace

InboxWatcher::InboxWatcher(RecordingLibrary& library, std::chrono::milliseconds interval)
    : library_(library), interval_(interval) {}

InboxWatcher::~InboxWatcher() {
    stop();
}

void InboxWatcher::start() {
    if (thread_.joinable() || interval_.count() <= 0) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void InboxWatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void InboxWatcher::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            scanOnce();
        } catch (const std::exception& e) {
            watcherLog().error("inbox_scan_failed", {{"error", e.what()}});
        }
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

InboxScanReport InboxWatcher::scanOnce() {
    std::lock_guard scan(scan_mutex_);
    InboxScanReport report;
    auto& files = library_.files();
    for (const auto& found : files.listInbox(kFormatsPerScan)) {
        ++report.seen;
        const auto where = found.format + "/" + found.record_id;
        auto quarantine = [&](const std::string& reason) {
            const auto moved = files.quarantine(found.record_id, found.format, reason);
            move_failures_.erase(where);
            if (moved.ok()) {
                ++report.quarantined;
                watcherLog().warn("recording_quarantined", {{"recording", where}, {"reason", reason}});
            } else {
                watcherLog().error("recording_quarantine_failed",
                                   {{"recording", where}, {"reason", reason}, {"error", moved.message}});
            }
        };
        if (found.metadata_xml.empty()) {
            quarantine(found.problem.empty() ? "metadata.xml is empty" : found.problem);
            continue;
        }
        LibraryResult<ImportOutcome> result;
        try {
            result = library_.importMetadata(found.metadata_xml, {});
        } catch (const store::StoreError& e) {
            if (e.kind() == store::StoreError::Kind::Unavailable) {
                report.store_unavailable = true;
                watcherLog().warn("inbox_scan_paused", {{"error", e.what()}});
                break;
            }
            quarantine(std::string("the index refused it: ") + e.what());
            continue;
        }
        if (result.ok()) {
            move_failures_.erase(where);
            ++(result.value->changed ? report.imported : report.unchanged);
            continue;
        }
        if (result.error->kind == LibraryError::Kind::Storage) {
            const int attempts = ++move_failures_[where];
            if (attempts >= kMaxMoveAttempts) {
                quarantine("its files could not be moved " + std::to_string(attempts) +
                           " times: " + result.error->message);
            } else {
                ++report.retrying;
                watcherLog().warn(
                    "recording_import_retrying",
                    {{"recording", where}, {"attempt", std::to_string(attempts)}, {"error", result.error->message}});
            }
            continue;
        }
        quarantine(result.error->message);
    }
    if (report.seen > 0)
        watcherLog().info("inbox_scanned", {{"seen", std::to_string(report.seen)},
                                            {"imported", std::to_string(report.imported)},
                                            {"quarantined", std::to_string(report.quarantined)},
                                            {"retrying", std::to_string(report.retrying)}});
    return report;
}

}  // namespace b3s::core::recordings
