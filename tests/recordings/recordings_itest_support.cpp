#include "recordings_itest_support.hpp"

#include "child_spawn.hpp"

#include <b3s/support/hmac_jwt.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace b3s::test::recordings {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

void writeText(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

bool answers(int port) {
    try {
        Poco::Net::StreamSocket socket;
        socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
                       Poco::Timespan(0, 200'000));
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

// The hash directory BBB's presentation format keeps slides under (the presentation's id).
constexpr const char* kSlidesDir = "presentation/d2d9a672040fbde2a47a10bf6c37b6a4b5ae187f-1554230749929";

}  // namespace

std::string bbbRecordId(int n) {
    char hex[41];
    // A sha1-looking 40-digit hex run, different per n.
    std::snprintf(hex, sizeof hex, "%08x%032x", 0x5eed0000u + static_cast<unsigned>(n), 0xb3u);
    return std::string(hex) + "-" + std::to_string(1'700'000'000'000LL + n * 1000LL);
}

std::string nodePlaybackLink(const std::string& format, const std::string& record_id) {
    if (format == "presentation") return "https://bbb1.example.org/playback/presentation/2.3/" + record_id;
    return "https://bbb1.example.org/" + format + "/" + record_id + "/";
}

std::string metadataXml(const MetadataSpec& s) {
    std::ostringstream x;
    x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<recording>\n"
      << "  <id>" << s.record_id << "</id>\n"
      << "  <state>" << s.state << "</state>\n"
      << "  <published>" << (s.published ? "true" : "false") << "</published>\n"
      << "  <start_time>" << s.start_ms << "</start_time>\n"
      << "  <end_time>" << s.start_ms + s.duration_ms + 4'000 << "</end_time>\n"
      << "  <participants>4</participants>\n"
      << "  <raw_size>48211967</raw_size>\n"
      << "  <meeting id=\"" << s.record_id << "\" externalId=\"" << s.meeting_id << "\" name=\"" << s.name
      << "\" breakout=\"false\"/>\n"
      << "  <meta>\n"
      << "    <isBreakout>false</isBreakout>\n"
      << "    <meetingId>" << s.meeting_id << "</meetingId>\n"
      << "    <meetingName><![CDATA[" << s.name << "]]></meetingName>\n"
      << "    <gl-listed>false</gl-listed>\n"
      << "    <bbb-origin>Greenlight</bbb-origin>\n"
      << "    <bbb-origin-version>v3</bbb-origin-version>\n"
      << "    <bbb-origin-server-name>greenlight.example.org</bbb-origin-server-name>\n";
    for (const auto& [k, v] : s.extra_meta) x << "    <" << k << ">" << v << "</" << k << ">\n";
    x << "  </meta>\n"
      << "  <playback>\n"
      << "    <format>" << s.format << "</format>\n"
      << "    <link>" << nodePlaybackLink(s.format, s.record_id) << "</link>\n"
      << "    <processing_time>7177</processing_time>\n"
      << "    <duration>" << s.duration_ms << "</duration>\n"
      << "    <size>1872331</size>\n";
    if (s.with_preview && s.format == "presentation") {
        x << "    <extensions>\n      <preview>\n        <images>\n"
          << "          <image width=\"176\" height=\"136\" alt=\"Welcome\">https://bbb1.example.org/presentation/"
          << s.record_id << "/" << thumbnailRelativePath() << "</image>\n"
          << "        </images>\n      </preview>\n    </extensions>\n";
    }
    x << "  </playback>\n"
      << "</recording>\n";
    return x.str();
}

std::string thumbnailRelativePath() {
    return std::string(kSlidesDir) + "/thumbnails/thumb-1.png";
}

std::string thumbnailBytes() {
    // PNG signature and an IHDR chunk start: enough to be recognised as one.
    return std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\xb0\0\0\0\x88", 24);
}

fs::path writeFormat(const fs::path& base, const MetadataSpec& spec, const std::string& page) {
    const fs::path dir = base / spec.format / spec.record_id;
    writeText(dir / "metadata.xml", metadataXml(spec));
    writeText(dir / "index.html", page);
    if (spec.format == "presentation") {
        writeText(dir / thumbnailRelativePath(), thumbnailBytes());
        writeText(dir / kSlidesDir / "slide-1.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    }
    return dir;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string Reply::header(const std::string& lower_name) const {
    for (const auto& [name, value] : headers)
        if (name == lower_name) return value;
    return {};
}

std::vector<std::string> Reply::all(const std::string& lower_name) const {
    std::vector<std::string> out;
    for (const auto& [name, value] : headers)
        if (name == lower_name) out.push_back(value);
    return out;
}

Reply http(const std::string& method, int port, const std::string& target,
           const std::map<std::string, std::string>& headers, const std::string& body, const std::string& content_type,
           std::chrono::milliseconds timeout) {
    Reply reply;
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
        session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count() / 1000),
                                          static_cast<long>((timeout.count() % 1000) * 1000)));
        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!body.empty() || method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
        if (!content_type.empty()) request.setContentType(content_type);
        for (const auto& [name, value] : headers) request.set(name, value);
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        reply.status = response.getStatus();
        for (const auto& [name, value] : response) reply.headers.emplace_back(lower(name), value);
        std::ostringstream out;
        Poco::StreamCopier::copyStream(in, out);
        reply.body = out.str();
    } catch (const Poco::Exception&) {
        reply.status = 0;
    }
    return reply;
}

std::string rawExchange(int port, const std::string& request, std::chrono::milliseconds timeout) {
    std::string answer;
    try {
        Poco::Net::StreamSocket socket;
        socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), Poco::Timespan(2, 0));
        socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(timeout.count() / 1000),
                                                static_cast<long>((timeout.count() % 1000) * 1000)));
        socket.sendBytes(request.data(), static_cast<int>(request.size()));
        char buffer[4096];
        for (;;) {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            answer.append(buffer, static_cast<std::size_t>(n));
        }
    } catch (const Poco::Exception&) {
        // timeout or reset: what arrived so far is the answer
    }
    return answer;
}

std::string apiToken(const std::string& sub, const std::string& scope) {
    return test::apiToken(sub, scope);
}

Poco::JSON::Object::Ptr jsonObject(const std::string& body) {
    try {
        Poco::JSON::Parser parser;
        return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        return nullptr;
    }
}

ProcessRun runProcess(const std::string& exe, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, const fs::path& work_dir,
                      std::chrono::seconds timeout) {
    const fs::path io = work_dir / ".io";
    fs::create_directories(io);
    const pid_t pid = spawnChild({exe, args, env, work_dir, "/dev/null", io / "stdout", io / "stderr"});
    ProcessRun run;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            run.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    run.out = readFile(io / "stdout");
    run.err = readFile(io / "stderr");
    fs::remove_all(io);
    return run;
}

std::string nginxBinary() {
    for (const char* candidate : {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"})
        if (::access(candidate, X_OK) == 0) return candidate;
    return {};
}

fs::path playbackSnippetPath() {
    return fs::path(B3S_SOURCE_DIR) / "etc/nginx/b3scale-playback.conf";
}

fs::path postPublishHookPath() {
    return fs::path(B3S_SOURCE_DIR) / "etc/bbb/post_publish_b3scale.rb";
}

NginxProcess::NginxProcess(const fs::path& dir, const fs::path& published, const fs::path& playback_root,
                           int b3scaled_port, int port)
    : port_(port), dir_(dir) {
    fs::create_directories(dir_);
    // The shipped locations, pointed at this test's trees and b3scaled.
    std::string snippet = readFile(playbackSnippetPath());
    if (snippet.empty()) throw std::runtime_error("cannot read " + playbackSnippetPath().string());
    replaceAll(snippet, "root /var/bigbluebutton/published;", "root " + published.string() + ";");
    replaceAll(snippet, "root /var/bigbluebutton;", "root " + playback_root.string() + ";");
    replaceAll(snippet, "127.0.0.1:42352", "127.0.0.1:" + std::to_string(b3scaled_port));
    writeText(dir_ / "b3scale-playback.conf", snippet);

    std::ostringstream conf;
    // As root the workers would switch to nobody, who cannot read the test's 0700 folders.
    if (::geteuid() == 0) conf << "user root root;\n";
    conf << "worker_processes 1;\n"
         << "pid " << (dir_ / "nginx.pid").string() << ";\n"
         << "error_log " << (dir_ / "error.log").string() << " info;\n"
         << "daemon off;\n"
         << "events { worker_connections 64; }\n"
         << "http {\n"
         << "  default_type application/octet-stream;\n"
         << "  access_log " << (dir_ / "access.log").string() << ";\n"
         << "  client_body_temp_path " << (dir_ / "body").string() << ";\n"
         << "  proxy_temp_path " << (dir_ / "proxy").string() << ";\n"
         << "  fastcgi_temp_path " << (dir_ / "fastcgi").string() << ";\n"
         << "  uwsgi_temp_path " << (dir_ / "uwsgi").string() << ";\n"
         << "  scgi_temp_path " << (dir_ / "scgi").string() << ";\n"
         << "  server {\n"
         << "    listen 127.0.0.1:" << port_ << ";\n"
         << "    server_name play.b3s.test;\n"
         << "    include " << (dir_ / "b3scale-playback.conf").string() << ";\n"
         << "  }\n"
         << "}\n";
    config_ = conf.str();
    writeText(dir_ / "nginx.conf", config_);

    pid_ = spawnChild({nginxBinary(),
                       {"-p", dir_.string(), "-e", (dir_ / "error.log").string(), "-c", (dir_ / "nginx.conf").string()},
                       {},
                       dir_,
                       "/dev/null",
                       dir_ / "stdout.log",
                       dir_ / "stderr.log"});
    ready_ = eventually([&] { return answers(port_); }, std::chrono::seconds(10));
}

NginxProcess::~NginxProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);  // fast shutdown of the master and its worker
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string NginxProcess::errorLog() const {
    return readFile(dir_ / "error.log") + readFile(dir_ / "stderr.log");
}

}  // namespace b3s::test::recordings
