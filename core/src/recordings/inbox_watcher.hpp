#pragma once
// Imports what BBB nodes publish into the recordings inbox (their post_publish hook copies
// a format there, or the inbox is their shared published tree): every scan lists the inbox
// through the plugin and imports each format with a metadata.xml. Polling rather than
// inotify, because the inbox is usually a network file system, where inotify sees nothing.
//
// A format that cannot be imported for a reason that will not go away (unreadable or broken
// metadata.xml, no frontend owns its meeting, a record id of another frontend) is moved to
// the quarantine at once with the reason logged; one whose files fail to move (disk full,
// permissions) is retried on the next scans and quarantined after kMaxMoveAttempts. A
// database that is down ends the scan; nothing is quarantined for it.

#include "recordings/recording_library.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace b3s::core::recordings {

struct InboxScanReport {
    std::size_t seen = 0;
    std::size_t imported = 0;   ///< new or changed in the index
    std::size_t unchanged = 0;  ///< imported before (files moved if they were still there)
    std::size_t quarantined = 0;
    std::size_t retrying = 0;  ///< files failed to move; tried again next scan
    bool store_unavailable = false;
};

class InboxWatcher {
public:
    static constexpr int kMaxMoveAttempts = 5;
    static constexpr std::size_t kFormatsPerScan = 500;

    /// `library` must outlive the watcher. Nothing runs before start().
    InboxWatcher(RecordingLibrary& library, std::chrono::milliseconds interval);
    /// Stops and joins the thread.
    ~InboxWatcher();
    InboxWatcher(const InboxWatcher&) = delete;
    InboxWatcher& operator=(const InboxWatcher&) = delete;

    void start();
    void stop();

    /// One scan, on the caller's thread (the thread calls this; tests too).
    InboxScanReport scanOnce();

private:
    void run();

    RecordingLibrary& library_;
    std::chrono::milliseconds interval_;
    std::mutex scan_mutex_;                     ///< one scan at a time
    std::map<std::string, int> move_failures_;  ///< "<format>/<recordID>" → failed attempts
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace b3s::core::recordings
