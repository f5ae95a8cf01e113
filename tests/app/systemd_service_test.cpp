// b3scaled under systemd, with the test in systemd's place: the notify socket (READY,
// WATCHDOG, RELOADING, STOPPING, each from b3scaled's own pid), the signals of
// `systemctl reload/stop`, the env file SIGHUP re-reads, and the journal's priority prefixes.

#include "b3scaled_process.hpp"
#include "child_spawn.hpp"
#include "notify_socket.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/stat.h>
#include <sys/wait.h>

namespace b3s::test {
namespace {

using namespace std::chrono_literals;

std::size_t countOf(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// The first log line with `"message":"<event>"`, parsed; null when there is none.
Poco::JSON::Object::Ptr findEvent(const B3scaledProcess& p, const std::string& event) {
    for (const auto& line : p.stderrLines())
        if (line.find("\"message\":\"" + event + "\"") != std::string::npos) return parseJson(line);
    return nullptr;
}

/// Waits until the log holds `count` lines of `event`.
bool waitForEvent(B3scaledProcess& p, const std::string& event, std::size_t count = 1,
                  std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (countOf(p.stderrText(), "\"message\":\"" + event + "\"") >= count) return true;
        if (!p.running()) return false;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

/// A request the client abandons half-way: b3scaled closes the connection without an answer
/// and logs `request_abandoned` at debug. Returns once the server has closed it, so the line,
/// if the level lets it through, is written by then.
void sendAbandonedHead(int port) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    const std::string head = "GET /healthz HTTP/1.1\r\nHost: b3scale\r\n";
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    socket.shutdownSend();
    char buffer[512];
    while (socket.receiveBytes(buffer, sizeof buffer) > 0) {
    }
}

const std::string kAccessLine = "\"logger\":\"b3s.core.access\"";
const std::string kDebugLine = "\"message\":\"request_abandoned\"";

class SystemdServiceTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        B3scaledProcess m(env(), {"--migrate"});
        ASSERT_EQ(runToExit(m), 0) << m.stderrText();
    }
    static Env env() {
        Env e = baseEnv();
        e["B3SCALE_DB_URL"] = db_url_;
        return e;
    }
    void writeEnvFile(const std::string& text) { std::ofstream(dir_ / ".env", std::ios::trunc) << text; }

    static inline const std::string db_url_ = "sqlite://" + (makeTempDir("sqlite") / "b3scale.db").string();
    std::filesystem::path dir_ = makeTempDir("b3scaled-cwd");  ///< b3scaled's working directory: its .env
};

TEST_F(SystemdServiceTest, TellsSystemdReadyWatchdogReloadingAndStoppingFromItsOwnPid) {
    NotifySocket notify;
    Env e = env();
    e["NOTIFY_SOCKET"] = notify.path();
    e["WATCHDOG_USEC"] = "400000";  // a ping at least every 200 ms
    B3scaledProcess p(e, {}, dir_);

    auto ready = notify.waitFor("READY=1", 30s);
    ASSERT_TRUE(ready) << p.stderrText();
    EXPECT_EQ(ready->pid, p.pid()) << "NotifyAccess=main takes messages from the main pid only";
    // READY=1 comes after the listener is bound and serving, never before.
    ASSERT_TRUE(p.waitReady(1s)) << p.stderrText();
    EXPECT_EQ(p.get("/healthz").status, 200);
    EXPECT_NE(ready->text.find("STATUS=serving on 127.0.0.1:" + std::to_string(p.port())), std::string::npos)
        << ready->text;

    for (int i = 0; i < 5; ++i) {
        auto ping = notify.waitFor("WATCHDOG=1", 5s);
        ASSERT_TRUE(ping) << "watchdog ping " << i << " missing\n" << p.stderrText();
        EXPECT_EQ(ping->pid, p.pid());
    }

    p.signal(SIGHUP);
    std::vector<NotifyMessage> seen;
    auto reloading = notify.waitFor("RELOADING=1", 10s, &seen);
    ASSERT_TRUE(reloading) << p.stderrText();
    EXPECT_EQ(reloading->pid, p.pid());
    auto ready_again = notify.waitFor("READY=1", 10s, &seen);
    ASSERT_TRUE(ready_again) << p.stderrText();
    EXPECT_TRUE(p.running()) << "SIGHUP must never end b3scaled\n" << p.stderrText();
    EXPECT_EQ(p.get("/healthz").status, 200);

    p.signal(SIGTERM);
    auto stopping = notify.waitFor("STOPPING=1", 10s);
    ASSERT_TRUE(stopping) << p.stderrText();
    EXPECT_EQ(stopping->pid, p.pid());
    auto code = p.wait(20s);
    ASSERT_TRUE(code) << p.stderrText();
    EXPECT_EQ(*code, 0) << p.stderrText();
    auto stopping_line = findEvent(p, "stopping");
    ASSERT_TRUE(stopping_line) << p.stderrText();
    EXPECT_EQ(stopping_line->getValue<std::string>("signal"), "SIGTERM");
}

TEST_F(SystemdServiceTest, WithoutNotifySocketItServesAndStopsAsBefore) {
    B3scaledProcess p(env(), {}, dir_);
    ASSERT_TRUE(p.waitReady()) << p.stderrText();
    EXPECT_EQ(p.get("/healthz").status, 200);
    EXPECT_FALSE(findEvent(p, "watchdog_enabled")) << "no WATCHDOG_USEC, no pinger";
    p.signal(SIGINT);
    auto code = p.wait(20s);
    ASSERT_TRUE(code);
    EXPECT_EQ(*code, 0) << p.stderrText();
}

TEST_F(SystemdServiceTest, SighupAppliesTheEnvFilesNewLogLevelAndAccessLogAndNamesWhatNeedsARestart) {
    const std::string new_secret = "a-rotated-secret-that-must-never-be-logged-0123";
    writeEnvFile("B3SCALE_LOG_LEVEL=info\nB3SCALE_ACCESS_LOG=all\nB3SCALE_API_JWT_SECRET=" + kBaseJwtSecret + "\n");
    B3scaledProcess p(env(), {}, dir_);
    ASSERT_TRUE(p.waitReady()) << p.stderrText();

    // Before: info hides debug lines, every request is in the access log.
    sendAbandonedHead(p.port());
    ASSERT_EQ(p.get("/healthz").status, 200);
    ASSERT_TRUE(waitForEvent(p, "request")) << p.stderrText();
    EXPECT_EQ(countOf(p.stderrText(), kDebugLine), 0u);

    writeEnvFile("B3SCALE_LOG_LEVEL=debug\nB3SCALE_ACCESS_LOG=off\nB3SCALE_API_JWT_SECRET=" + new_secret + "\n");
    p.signal(SIGHUP);
    ASSERT_TRUE(waitForEvent(p, "reloaded")) << p.stderrText();
    auto reloaded = findEvent(p, "reloaded");
    EXPECT_EQ(reloaded->getValue<std::string>("applied"), "B3SCALE_ACCESS_LOG,B3SCALE_LOG_LEVEL");
    auto restart = findEvent(p, "reload_restart_required");
    ASSERT_TRUE(restart) << p.stderrText();
    EXPECT_EQ(restart->getValue<std::string>("level"), "warn");
    EXPECT_EQ(restart->getValue<std::string>("variables"), "B3SCALE_API_JWT_SECRET");
    const std::size_t access_before = countOf(p.stderrText(), kAccessLine);

    // After: debug lines appear, requests are no longer logged.
    sendAbandonedHead(p.port());
    EXPECT_EQ(countOf(p.stderrText(), kDebugLine), 1u) << p.stderrText();
    for (int i = 0; i < 3; ++i) ASSERT_EQ(p.get("/healthz").status, 200);
    // A reload writes out buffered access lines first: after the second `reloaded`, any line
    // of the requests above would be in the log.
    p.signal(SIGHUP);
    ASSERT_TRUE(waitForEvent(p, "reloaded", 2)) << p.stderrText();
    EXPECT_EQ(countOf(p.stderrText(), kAccessLine), access_before) << p.stderrText();
    EXPECT_EQ(p.stderrText().find(new_secret), std::string::npos) << "a secret's value reached the log";
    EXPECT_TRUE(p.running());
}

TEST_F(SystemdServiceTest, AnInvalidValueOnReloadIsNamedAndTheOldOneKeptWhileServing) {
    writeEnvFile("B3SCALE_LOG_LEVEL=info\n");
    B3scaledProcess p(env(), {}, dir_);
    ASSERT_TRUE(p.waitReady()) << p.stderrText();

    writeEnvFile("B3SCALE_LOG_LEVEL=loud\n");
    p.signal(SIGHUP);
    ASSERT_TRUE(waitForEvent(p, "reload_invalid")) << p.stderrText();
    auto invalid = findEvent(p, "reload_invalid");
    EXPECT_EQ(invalid->getValue<std::string>("level"), "error");
    EXPECT_EQ(invalid->getValue<std::string>("variable"), "B3SCALE_LOG_LEVEL");
    ASSERT_TRUE(waitForEvent(p, "reloaded")) << p.stderrText();
    EXPECT_EQ(findEvent(p, "reloaded")->getValue<std::string>("applied"), "");

    EXPECT_TRUE(p.running());
    EXPECT_EQ(p.get("/healthz").status, 200);
    sendAbandonedHead(p.port());
    EXPECT_EQ(countOf(p.stderrText(), kDebugLine), 0u) << "the level in use (info) was kept";
    ASSERT_TRUE(waitForEvent(p, "request")) << "the access log still writes";
}

TEST_F(SystemdServiceTest, ABurstOfSighupsLeavesItServingAndSigtermStillStopsItCleanly) {
    B3scaledProcess p(env(), {}, dir_);
    ASSERT_TRUE(p.waitReady()) << p.stderrText();
    for (int i = 0; i < 20; ++i) p.signal(SIGHUP);
    ASSERT_TRUE(waitForEvent(p, "reloaded")) << p.stderrText();
    EXPECT_TRUE(p.running()) << p.stderrText();
    EXPECT_EQ(p.get("/healthz").status, 200);
    p.signal(SIGTERM);
    auto code = p.wait(20s);
    ASSERT_TRUE(code) << p.stderrText();
    EXPECT_EQ(*code, 0) << p.stderrText();
}

// The journal hands a service a stream and names it in JOURNAL_STREAM; the test plays the
// journal with a file whose device and inode it names the same way.
class JournalStreamTest : public SystemdServiceTest {
protected:
    std::string runCheckConfig(const std::string& journal_stream) {
        const auto logs = makeTempDir("journal");
        const auto stderr_path = logs / "stderr.log";
        std::ofstream(stderr_path).flush();  // b3scaled's stderr keeps this inode (O_TRUNC)
        struct stat st {};
        EXPECT_EQ(::stat(stderr_path.c_str(), &st), 0);
        Env e = env();
        e["JOURNAL_STREAM"] =
            journal_stream.empty() ? std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) : journal_stream;
        const pid_t pid = spawnChild(
            {b3scaledPath().string(), {"--check-config"}, e, logs, "/dev/null", logs / "stdout.log", stderr_path});
        int status = 0;
        EXPECT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        std::ifstream in(stderr_path);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
};

TEST_F(JournalStreamTest, UnderTheJournalEveryLineCarriesItsPriorityAndStaysJson) {
    const std::string log = runCheckConfig("");
    std::istringstream lines(log);
    std::size_t count = 0;
    bool saw_warning = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        ++count;
        ASSERT_EQ(line[0], '<') << line;
        const auto end = line.find('>');
        ASSERT_NE(end, std::string::npos) << line;
        const std::string priority = line.substr(1, end - 1);
        auto json = parseJson(line.substr(end + 1));  // what journald stores as MESSAGE
        const auto level = json->getValue<std::string>("level");
        if (level == "info") {
            EXPECT_EQ(priority, "6") << line;
        }
        if (level == "warn") {
            EXPECT_EQ(priority, "4") << line;
            saw_warning = true;
        }
    }
    EXPECT_GT(count, 2u) << log;
    EXPECT_TRUE(saw_warning) << "api_url_defaulted is a warning\n" << log;
}

TEST_F(JournalStreamTest, AJournalStreamThatIsNotStderrGetsNoPrefix) {
    const std::string log = runCheckConfig("1:2");
    ASSERT_FALSE(log.empty());
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) {
            EXPECT_EQ(line[0], '{') << line;
        }
    }
}

TEST_F(SystemdServiceTest, AnUnknownOptionIsAConfigurationErrorThatSystemdDoesNotRestart) {
    B3scaledProcess p(env(), {"--no-such-option"}, dir_);
    EXPECT_EQ(runToExit(p), 78) << p.stderrText();
}

}  // namespace
}  // namespace b3s::test
