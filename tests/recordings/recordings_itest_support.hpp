#pragma once
// Helpers for the recordings integration tests: BBB-shaped record ids and metadata.xml
// documents, a recording's files as a BBB node publishes them, HTTP with every response
// header (Set-Cookie), a raw socket for hand-written requests, a real nginx built from the
// shipped playback snippet, and the tokens the API and the playback gate take.

#include "b3scaled_process.hpp"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace b3s::test::recordings {

/// A record id as BBB makes them: <40 hex (the meeting's sha1)>-<13 digits (ms)>, distinct per `n`.
std::string bbbRecordId(int n);

/// What a metadata.xml says about one format of one recording.
struct MetadataSpec {
    std::string record_id;
    std::string meeting_id;  ///< meta meetingId: the frontend-encoded id the backend saw
    std::string name = "Lecture";
    std::string format = "presentation";
    std::string state = "published";
    bool published = true;
    std::int64_t start_ms = 1'700'000'000'000;
    std::int64_t duration_ms = 3'723'000;
    bool with_preview = true;  ///< BBB ≥ 2.3 lists the thumbnails in the playback extensions
    std::vector<std::pair<std::string, std::string>> extra_meta;
};

/// The metadata.xml BBB's recording scripts write for a format.
std::string metadataXml(const MetadataSpec& spec);

/// The playback link of the metadata.xml above (on the BBB node).
std::string nodePlaybackLink(const std::string& format, const std::string& record_id);

/// Writes <base>/<format>/<recordID>/ as a BBB node publishes it: metadata.xml, index.html
/// (content `page`), and for presentation a slide thumbnail. Returns the format directory.
std::filesystem::path writeFormat(const std::filesystem::path& base, const MetadataSpec& spec, const std::string& page);
/// The bytes of the thumbnail writeFormat() writes (a tiny PNG).
std::string thumbnailBytes();
/// Path of the thumbnail below the format directory.
std::string thumbnailRelativePath();

std::string readFile(const std::filesystem::path& path);

/// An HTTP answer with every header (names lower case, in order).
struct Reply {
    int status = 0;  ///< 0: no answer
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::string header(const std::string& lower_name) const;
    std::vector<std::string> all(const std::string& lower_name) const;
};

/// One request over loopback, fresh connection. `headers` may set Host and Cookie.
Reply http(const std::string& method, int port, const std::string& target,
           const std::map<std::string, std::string>& headers = {}, const std::string& body = "",
           const std::string& content_type = "", std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Writes `request` as is to 127.0.0.1:port and returns everything read until the peer
/// closes or `timeout` passes ("" when nothing).
std::string rawExchange(int port, const std::string& request,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// A JWT for the REST API signed with kBaseJwtSecret.
std::string apiToken(const std::string& sub, const std::string& scope);

/// The JSON object of an answer, null when it is not one.
Poco::JSON::Object::Ptr jsonObject(const std::string& body);

/// Waits until `condition` holds or `timeout` passes; whether it held.
template <class F>
bool eventually(F condition, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

/// How a child process ended.
struct ProcessRun {
    int code = -1;  ///< exit code; 128+signal when killed; -1 when it did not end in time (then killed)
    std::string out;
    std::string err;
};

/// Runs `exe args…` with exactly `env` (on top of PATH, LANG, HOME = `work_dir`) to completion.
ProcessRun runProcess(const std::string& exe, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, const std::filesystem::path& work_dir,
                      std::chrono::seconds timeout = std::chrono::seconds(60));

/// The nginx binary ("" when none is installed).
std::string nginxBinary();

/// A real nginx on 127.0.0.1 serving the playback host with the locations of
/// etc/nginx/b3scale-playback.conf (its paths and b3scaled's address replaced), run in the
/// foreground as a child of the test, everything it writes below `dir`.
class NginxProcess {
public:
    /// `published`: the recordings plugin's published tree; `playback_root`: where
    /// playback/<player> lives; `b3scaled_port`: where auth_request goes.
    NginxProcess(const std::filesystem::path& dir, const std::filesystem::path& published,
                 const std::filesystem::path& playback_root, int b3scaled_port, int port);
    ~NginxProcess();
    NginxProcess(const NginxProcess&) = delete;
    NginxProcess& operator=(const NginxProcess&) = delete;

    /// Whether it answers (waits up to 10 s after start).
    bool ready() const { return ready_; }
    int port() const { return port_; }
    std::string errorLog() const;
    const std::string& config() const { return config_; }

private:
    pid_t pid_ = -1;
    int port_ = 0;
    bool ready_ = false;
    std::filesystem::path dir_;
    std::string config_;
};

/// The shipped snippet (etc/nginx/b3scale-playback.conf).
std::filesystem::path playbackSnippetPath();
/// The shipped BBB hook (etc/bbb/post_publish_b3scale.rb).
std::filesystem::path postPublishHookPath();

}  // namespace b3s::test::recordings
