#include "b3scaled_process.hpp"

#include "child_spawn.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace b3s::test {
namespace fs = std::filesystem;

HttpResult httpRequest(const std::string& method, const std::string& host, int port, const std::string& path,
                       std::chrono::milliseconds timeout) {
    return httpRequest(method, host, port, path, "", "", timeout);
}

HttpResult httpRequest(const std::string& method, const std::string& host, int port, const std::string& path,
                       const std::string& body, const std::string& content_type, std::chrono::milliseconds timeout) {
    return httpRequest(method, host, port, path, body, content_type, {}, timeout);
}

HttpResult httpRequest(const std::string& method, const std::string& host, int port, const std::string& path,
                       const std::string& body, const std::string& content_type,
                       const std::map<std::string, std::string>& headers, std::chrono::milliseconds timeout) {
    HttpResult result;
    try {
        Poco::Net::HTTPClientSession session(host, static_cast<Poco::UInt16>(port));
        session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count() / 1000),
                                          static_cast<long>((timeout.count() % 1000) * 1000)));
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        if (!content_type.empty()) request.setContentType(content_type);
        for (const auto& [name, value] : headers) request.set(name, value);
        std::ostream& out_body = session.sendRequest(request);
        out_body << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        result.status = response.getStatus();
        result.content_type = response.getContentType();
        result.location = response.get("Location", "");
        result.cache_control = response.get("Cache-Control", "");
        std::ostringstream out;
        Poco::StreamCopier::copyStream(in, out);
        result.body = out.str();
    } catch (const Poco::Exception& e) {
        result.status = 0;
        result.error = e.displayText();
    }
    return result;
}

Env baseEnv() {
    return {{"B3SCALE_API_JWT_SECRET", kBaseJwtSecret},
            {"B3SCALE_LISTEN_HTTP", "127.0.0.1:0"},
            {"B3SCALE_LOG_LEVEL", "info"},
            {"B3SCALE_SHUTDOWN_GRACE", "10"}};
}

std::string adminToken() {
    return apiToken("integration-test", "b3scale:admin");
}

std::string apiToken(const std::string& subject, const std::string& scope, std::optional<std::int64_t> exp,
                     const std::string& master, support::JwtAlgorithm algorithm) {
    return apiTokenSignedWith(support::derivePurposeKey(master, support::KeyPurpose::AdminToken), subject, scope, exp,
                              algorithm);
}

std::string apiTokenSignedWith(const std::string& key, const std::string& subject, const std::string& scope,
                               std::optional<std::int64_t> exp, support::JwtAlgorithm algorithm) {
    Poco::JSON::Object claims;
    claims.set("sub", subject);
    claims.set("scope", scope);
    claims.set("iat", static_cast<Poco::Int64>(std::time(nullptr)));
    claims.set("jti", support::randomToken(24));
    if (exp) claims.set("exp", static_cast<Poco::Int64>(*exp));
    return support::signJwt(claims, key, algorithm);
}

fs::path b3scaledPath() {
    return B3S_B3SCALED_PATH;
}
fs::path pluginDir() {
    return B3S_PLUGIN_DIR;
}
fs::path fixturePluginDir() {
    return B3S_FIXTURE_PLUGIN_DIR;
}

B3scaledProcess::B3scaledProcess(Env env, std::vector<std::string> args, fs::path cwd) {
    work_dir_ = cwd.empty() ? makeTempDir("b3scaled") : cwd;
    fs::path logs = makeTempDir("b3scaled-log");
    stderr_path_ = logs / "stderr.log";
    stdout_path_ = logs / "stdout.log";

    pid_ = spawnChild(
        {B3S_B3SCALED_PATH, std::move(args), std::move(env), work_dir_, "/dev/null", stdout_path_, stderr_path_});
}

B3scaledProcess::~B3scaledProcess() {
    if (running()) {
        signal(SIGKILL);
        wait(std::chrono::seconds(5));
    }
}

bool B3scaledProcess::running() {
    if (exit_code_) return false;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
    }
    return true;
}

std::optional<int> B3scaledProcess::wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return exit_code_;
}

std::optional<int> B3scaledProcess::waitReady(std::chrono::milliseconds timeout) {
    static const std::regex kReady(R"re("message":"ready".*"listen":"[^"]*:(\d+)")re");
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch m;
        std::string text = stderrText();
        if (std::regex_search(text, m, kReady)) {
            port_ = std::stoi(m[1].str());
            return port_;
        }
        if (!running()) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
}

void B3scaledProcess::signal(int sig) {
    if (!exit_code_) ::kill(pid_, sig);
}

namespace {
std::string fileText(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

std::string B3scaledProcess::stderrText() const {
    return fileText(stderr_path_);
}

std::string B3scaledProcess::stdoutText() const {
    return fileText(stdout_path_);
}

std::vector<std::string> B3scaledProcess::stderrLines() const {
    std::vector<std::string> lines;
    std::istringstream in(stderrText());
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

int runToExit(B3scaledProcess& p) {
    auto code = p.wait(std::chrono::seconds(60));
    if (!code) throw std::runtime_error("b3scaled did not exit within 60 s:\n" + p.stderrText());
    return *code;
}

}  // namespace b3s::test
