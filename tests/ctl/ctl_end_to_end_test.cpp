// b3scalectl end to end: the real binary against a real b3scaled (PostgreSQL, fake BBB
// servers), as an operator sets up a cluster from nothing.
#include "ctl_process.hpp"

#include "frontend_receiver.hpp"
#include "gateway_cluster.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fake_bbb/sign_query.hpp"
#include "fakes/temp_dir.hpp"

#include <b3s/support/hmac_jwt.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <sys/stat.h>

namespace b3s::ctl::test {
namespace {

using b3s::test::GatewayCluster;
using b3s::test::GatewayClusterOptions;

/// `https://…/bigbluebutton/api/` of a fake, as an operator would type it: without the API path.
std::string typedHost(const std::string& base_url) {
    const std::string api = "/bigbluebutton/api/";
    return base_url.substr(0, base_url.size() - api.size());
}

unsigned modeOf(const std::filesystem::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

Poco::Dynamic::Var parse(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json);
}

class CtlEndToEnd : public ::testing::Test {
protected:
    CtlEndToEnd() : cluster_(options()) {}

    static GatewayClusterOptions options() {
        GatewayClusterOptions o;
        o.backends = 2;
        o.extra_env["B3SCALE_POLL_INTERVAL"] = "1s";
        return o;
    }

    void SetUp() override {
        cluster_.start();
        ctl_.env()["B3SCALE_API_URL"] = "http://127.0.0.1:" + std::to_string(cluster_.port());
        // Set, so that b3scalectl reads no env file (b3scale's rule).
        ctl_.env()["B3SCALE_DB_URL"] = cluster_.databaseUrl();
    }

    std::string secret() const { return cluster_.env().at("B3SCALE_API_JWT_SECRET"); }

    CtlRun ctl(const std::vector<std::string>& args, const std::string& input = "") const {
        return ctl_.run(args, input);
    }

    /// auth authorize with the right secret on stdin.
    void authorize() {
        const auto r = ctl({"auth", "authorize"}, secret() + "\n");
        ASSERT_EQ(r.code, 0) << r.err;
    }

    /// Adds fake backend `i` through b3scalectl and returns its id.
    std::string addBackend(std::size_t i) {
        const auto r =
            ctl({"add", "backend", "--secret", cluster_.backend(i).secret(), typedHost(cluster_.backend(i).baseUrl())});
        EXPECT_EQ(r.code, 0) << r.err;
        std::smatch m;
        const std::string expected_host = cluster_.backend(i).baseUrl();
        EXPECT_TRUE(std::regex_match(r.out, m, std::regex("created backend: ([-0-9a-f]+) (.*)\n"))) << r.out;
        EXPECT_EQ(m[2].str(), expected_host);
        return m[1].str();
    }

    Poco::JSON::Object::Ptr backendJson(std::size_t i) {
        const auto r = ctl({"show", "backend", "--json", cluster_.backend(i).baseUrl()});
        EXPECT_EQ(r.code, 0) << r.err;
        return parse(r.out).extract<Poco::JSON::Object::Ptr>();
    }

    /// Waits until b3scaled's own poll has found backend `i` healthy.
    bool waitHealthy(std::size_t i) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (std::chrono::steady_clock::now() < deadline) {
            if (backendJson(i)->getValue<std::string>("node_state") == "ready") return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        return false;
    }

    GatewayCluster cluster_;
    CtlProcess ctl_;
};

TEST_F(CtlEndToEnd, AuthorizeKeepsAPrivateTokenAndRefusesAWrongSecret) {
    auto r = ctl({"auth", "authorize"}, "not-the-secret-but-just-as-long-0123456789\n");
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(r.errLines(), 1) << r.err;
    const auto dir = ctl_.home() / ".config" / "b3scale";
    const auto file = dir / ("http_127.0.0.1_" + std::to_string(cluster_.port()) + ".access_token");
    EXPECT_FALSE(std::filesystem::exists(file));

    r = ctl({"auth", "authorize"}, secret() + "\n");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Secret accepted, b3scalectl is now authorized."), std::string::npos) << r.out;
    ASSERT_TRUE(std::filesystem::exists(file));
    EXPECT_EQ(modeOf(file), 0600u);
    EXPECT_EQ(modeOf(dir), 0700u);
    EXPECT_EQ(r.err.find(secret()), std::string::npos);
    EXPECT_EQ(r.out.find(secret()), std::string::npos);

    // The status view with the cached token.
    r = ctl({});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("b3scale @ http://127.0.0.1:" + std::to_string(cluster_.port())), std::string::npos) << r.out;
}

// The tokens b3scalectl prints for other tools open b3scaled's API (it checks them with the
// same derived key) and carry the expiry asked for.
TEST_F(CtlEndToEnd, PrintedTokensOpenTheApiAndCarryTheirExpiry) {
    ctl_.env()["B3SCALE_API_JWT_SECRET"] = secret();
    struct Case {
        std::vector<std::string> flags;
        std::optional<std::int64_t> lifetime;
    };
    for (const auto& c : std::vector<Case>{
             {{}, 30 * 24 * 3600}, {{"--expires-in", "90m"}, 5400}, {{"--expires-in", "never"}, std::nullopt}}) {
        std::vector<std::string> args = {"auth", "create_access_token", "--sub", "ops", "--scopes", "b3scale:admin"};
        args.insert(args.end(), c.flags.begin(), c.flags.end());
        const auto r = ctl(args);
        ASSERT_EQ(r.code, 0) << r.err;
        const std::string token = r.out.substr(0, r.out.find('\n'));
        const auto status = b3s::test::httpRequest("GET", "127.0.0.1", cluster_.port(), "/api/v1/status", "", "",
                                                   {{"Authorization", "Bearer " + token}});
        EXPECT_EQ(status.status, 200) << status.body;
        EXPECT_NE(status.body.find("\"is_admin\":true"), std::string::npos) << status.body;
        const auto claims = parse(b3s::support::base64UrlDecode(
                                      token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1))
                                      .value_or("null"))
                                .extract<Poco::JSON::Object::Ptr>();
        if (c.lifetime) {
            EXPECT_EQ(claims->getValue<Poco::Int64>("exp") - claims->getValue<Poco::Int64>("iat"), *c.lifetime);
        } else {
            EXPECT_FALSE(claims->has("exp"));
        }
    }
    // A node agent's token works for its endpoints.
    const auto r = ctl({"auth", "authorize_node_agent", "--ref", "node-e2e"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto status = b3s::test::httpRequest("GET", "127.0.0.1", cluster_.port(), "/api/v1/status", "", "",
                                               {{"Authorization", "Bearer " + r.out.substr(0, r.out.find('\n'))}});
    EXPECT_EQ(status.status, 200) << status.body;
    EXPECT_NE(status.body.find("\"is_admin\":false"), std::string::npos) << status.body;
}

TEST_F(CtlEndToEnd, ReadsTheEnvFilesWhenNoDatabaseUrlIsSet) {
    for (const char* system_file : {"/etc/default/b3scale", "/etc/sysconfig/b3scale"})
        if (std::filesystem::exists(system_file)) GTEST_SKIP() << system_file << " would take part";
    // b3scale's rule: without B3SCALE_DB_URL, .env in the working directory is read; its
    // B3SCALE_API_URL and B3SCALE_API_JWT_SECRET are then enough to work without a prompt.
    ctl_.env().erase("B3SCALE_DB_URL");
    ctl_.env().erase("B3SCALE_API_URL");
    std::ofstream(ctl_.home() / ".env") << "# written by the test\n"
                                        << "B3SCALE_API_URL=\"http://127.0.0.1:" << cluster_.port() << "\"\n"
                                        << "B3SCALE_API_JWT_SECRET='" << secret() << "'\n";
    const auto r = ctl({"show", "backends"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "no backends\n");
    EXPECT_EQ(r.err, "");
}

TEST_F(CtlEndToEnd, SetsUpAWorkingClusterFromNothing) {
    authorize();
    auto r = ctl({"db", "migrate"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("The database is up to date."), std::string::npos) << r.out;

    const std::string b0 = addBackend(0);
    const std::string b1 = addBackend(1);
    r = ctl({"add", "frontend", "--secret", "tenant-secret", "greenlight"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_search(r.out, std::regex("created frontend: [-0-9a-f]+ greenlight\n"))) << r.out;

    r = ctl({"show", "backends"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("HOST ", 0), 0u) << r.out;
    EXPECT_NE(r.out.find(cluster_.backend(0).baseUrl()), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(cluster_.backend(1).baseUrl()), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("no agent"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(cluster_.backend(0).secret()), std::string::npos) << r.out;
    ASSERT_TRUE(waitHealthy(0));
    ASSERT_TRUE(waitHealthy(1));

    r = ctl({"create-meeting", "--frontend", "greenlight", "--name", "Test Room"});
    ASSERT_EQ(r.code, 0) << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex("Creating Meeting: Test Room \\( ([A-Za-z0-9_-]+) \\)")))
        << r.out;
    const std::string meeting_id = m[1].str();
    EXPECT_NE(r.out.find("Joined Meeting: " + meeting_id), std::string::npos) << r.out;
    std::vector<b3s::test::bbb::MeetingInfo> running;
    for (std::size_t i = 0; i < cluster_.backendCount(); ++i)
        for (auto& meeting : cluster_.backend(i).meetings()) running.push_back(meeting);
    ASSERT_EQ(running.size(), 1u);
    EXPECT_EQ(running[0].name, "Test Room");
    // The join URL printed is the signed join on the backend that runs the meeting.
    const std::size_t running_on = cluster_.backend(0).meetings().empty() ? 1 : 0;
    EXPECT_NE(r.out.find("URL: " + cluster_.backend(running_on).serverUrl() + "/bigbluebutton/api/join?"),
              std::string::npos)
        << r.out;

    r = ctl({"show", "meetings"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("FRONTEND ", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("greenlight"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(meeting_id), std::string::npos) << r.out;
    EXPECT_TRUE(r.out.find(cluster_.backend(0).baseUrl()) != std::string::npos ||
                r.out.find(cluster_.backend(1).baseUrl()) != std::string::npos)
        << r.out;

    r = ctl({"show", "--json", "meetings"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto meetings = parse(r.out).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(meetings->size(), 1u);
    EXPECT_EQ(meetings->getObject(0)->getValue<std::string>("meeting_id"), meeting_id);
    EXPECT_EQ(meetings->getObject(0)->getValue<std::string>("frontend_key"), "greenlight");
    const auto on = meetings->getObject(0)->getValue<std::string>("backend_id");
    EXPECT_TRUE(on == b0 || on == b1) << on;
}

TEST_F(CtlEndToEnd, ShowWithAndWithoutJson) {
    authorize();
    const std::string id = addBackend(0);
    ASSERT_EQ(ctl({"add", "frontend", "--secret", "fs", "-j", R"({"required_tags":["bbb_26"]})", "moodle"}).code, 0);

    auto r = ctl({"show", "backends", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto backends = parse(r.out).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(backends->size(), 1u);
    const auto backend = backends->getObject(0);
    EXPECT_EQ(backend->getValue<std::string>("id"), id);
    for (const char* field :
         {"node_state", "admin_state", "agent_heartbeat", "agent_ref", "last_error", "latency", "meetings_count",
          "attendees_count", "load_factor", "bbb", "settings", "created_at", "updated_at", "synced_at"})
        EXPECT_TRUE(backend->has(field)) << field;
    EXPECT_EQ(r.out.rfind("[\n  {\n    \"id\": ", 0), 0u) << r.out;

    r = ctl({"show", "backend", typedHost(cluster_.backend(0).baseUrl())});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("ID:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(id), std::string::npos) << r.out;

    r = ctl({"show", "frontends"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_search(
        r.out, std::regex("moodle +enabled +- +[-0-9a-f]+ +\\{\"required_tags\":\\[\"bbb_26\"\\]\\}")))
        << r.out;
    EXPECT_EQ(r.out.find("fs"), std::string::npos) << r.out;

    r = ctl({"show", "frontend", "moodle"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Frontend URL:     http://127.0.0.1:" + std::to_string(cluster_.port()) + "/bbb/moodle/"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Frontend Secret:  fs"), std::string::npos) << r.out;

    r = ctl({"s", "--json", "frontend", "moodle"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto frontend = parse(r.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(frontend->getObject("bbb")->getValue<std::string>("key"), "moodle");
}

TEST_F(CtlEndToEnd, OpenApiDocumentIsTheOneTheServerServes) {
    const auto r = ctl({"export-openapi-schema"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto served = cluster_.get("/api/v1/openapi.json");
    ASSERT_EQ(served.status, 200);
    std::ostringstream ours, theirs;
    Poco::JSON::Stringifier::condense(parse(r.out), ours);
    Poco::JSON::Stringifier::condense(parse(served.body), theirs);
    EXPECT_EQ(ours.str(), theirs.str());
}

TEST_F(CtlEndToEnd, EnableDisableAndNoChange) {
    authorize();
    addBackend(0);
    const std::string host = cluster_.backend(0).baseUrl();
    auto r = ctl({"disable", "backend", host});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "updated backend admin state\n");
    EXPECT_EQ(backendJson(0)->getValue<std::string>("admin_state"), "stopped");
    r = ctl({"stop", "backend", host});
    EXPECT_EQ(r.code, 64);
    EXPECT_EQ(r.out, "no changes\n");
    r = ctl({"enable", "backend", typedHost(host)});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(backendJson(0)->getValue<std::string>("admin_state"), "ready");

    ASSERT_EQ(ctl({"add", "frontend", "--secret", "fs", "gl"}).code, 0);
    ASSERT_TRUE(waitHealthy(0));
    int meetings = 0;
    auto created = [&] {
        return b3s::test::answered(
            cluster_.call("gl", "fs", "create", "name=Check&meetingID=m-" + std::to_string(++meetings)), "SUCCESS");
    };
    EXPECT_TRUE(created());
    r = ctl({"disable", "frontend", "gl"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_match(r.out, std::regex("disable frontend: [-0-9a-f]+\n"))) << r.out;
    EXPECT_EQ(ctl({"dis", "frontend", "gl"}).code, 64);
    // b3scaled refuses a disabled frontend's calls (once its view has the change).
    bool refused = false;
    for (int i = 0; i < 50 && !refused; ++i) {
        refused = !created();
        if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(refused);
    r = ctl({"en", "frontend", "gl"});
    ASSERT_EQ(r.code, 0) << r.err;
    bool accepted = false;
    for (int i = 0; i < 50 && !accepted; ++i) {
        accepted = created();
        if (!accepted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(accepted);

    r = ctl({"set", "backend", host, "-j", R"({"tags":["bbb_26"]})"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "updated backend\n");
    EXPECT_EQ(backendJson(0)->getObject("settings")->getArray("tags")->getElement<std::string>(0), "bbb_26");
    EXPECT_EQ(ctl({"set", "backend", host}).code, 64);
}

TEST_F(CtlEndToEnd, EndMeetingsEndsThemOnTheBackend) {
    authorize();
    addBackend(0);
    ASSERT_EQ(ctl({"add", "frontend", "--secret", "fs", "gl"}).code, 0);
    ASSERT_TRUE(waitHealthy(0));
    ASSERT_EQ(ctl({"cm", "--frontend", "gl"}).code, 0);
    ASSERT_EQ(ctl({"cm", "--frontend", "gl", "--param", "record=false"}).code, 0);
    ASSERT_EQ(cluster_.backend(0).meetings().size(), 2u);

    const auto r = ctl({"end", "meetings", cluster_.backend(0).baseUrl()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Dispatch: end_all_meetings"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("State: success"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Result: true"), std::string::npos) << r.out;
    EXPECT_TRUE(cluster_.backend(0).meetings().empty());
}

TEST_F(CtlEndToEnd, RemoveFrontendAndBackend) {
    authorize();
    const std::string id = addBackend(0);
    addBackend(1);
    ASSERT_EQ(ctl({"add", "frontend", "--secret", "fs", "gl"}).code, 0);

    auto r = ctl({"rm", "frontend", "gl"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_match(r.out, std::regex("delete frontend: [-0-9a-f]+\n"))) << r.out;
    r = ctl({"show", "frontends"});
    EXPECT_EQ(r.out, "no frontends\n");

    r = ctl({"rm", "backend", cluster_.backend(1).baseUrl()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "backend marked for decommissioning\n");

    r = ctl({"delete", "--force", "backend", typedHost(cluster_.backend(0).baseUrl())});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "deleting backend\ndeleted backend: " + id + " " + cluster_.backend(0).baseUrl() + "\n");
    r = ctl({"show", "backends", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.find(cluster_.backend(0).baseUrl()), std::string::npos) << r.out;
}

TEST_F(CtlEndToEnd, BadInputIsOneLineAndANonZeroExit) {
    authorize();
    struct Case {
        std::vector<std::string> args;
        int code;
    };
    for (const auto& c : std::vector<Case>{
             {{"add", "backend", "--secret", "x", "bbb1.example.org"}, 2},
             {{"add", "frontend", "--secret", "x", "-j", "{not json", "gl"}, 2},
             {{"show", "frontend", "nope"}, 1},
             {{"show", "backend", "https://nowhere.example.org"}, 1},
             {{"rm", "frontend", "nope"}, 1},
             {{"add", "frontend", "--secret", "x", "-j", R"({"no_such_setting":1})", "gl2"}, 1},
             {{"create-meeting", "--frontend", "nope"}, 1},
             {{"create-meeting", "--frontend", "x", "--param", "novalue"}, 2},
             {{"show", "backends", "--no-such-flag"}, 2},
         }) {
        const auto r = ctl(c.args);
        std::string joined;
        for (const auto& a : c.args) joined += a + " ";
        EXPECT_EQ(r.code, c.code) << joined << r.err;
        EXPECT_EQ(r.errLines(), 1) << joined << r.err;
        EXPECT_EQ(r.err.find("terminate"), std::string::npos) << r.err;
    }
}

// Recordings as an operator handles them: listed per tenant, their visibility set (files
// follow), one shown as JSON.
class CtlRecordings : public ::testing::Test {
protected:
    CtlRecordings() : cluster_(options(dir_)) {}

    static GatewayClusterOptions options(const b3s::test::TempDir& dir) {
        for (const char* tree : {"published", "unpublished", "inbox"}) dir.mkdir(tree);
        GatewayClusterOptions o;
        o.backends = 1;
        o.extra_env = {{"B3SCALE_RECORDINGS_PUBLISHED_PATH", (dir / "published").string()},
                       {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", (dir / "unpublished").string()},
                       {"B3SCALE_RECORDINGS_INBOX_PATH", (dir / "inbox").string()},
                       {"B3SCALE_RECORDINGS_INBOX_SCAN_INTERVAL", "0"}};
        return o;
    }

    void SetUp() override {
        cluster_.addFrontend("moodle", "moodle-secret");
        cluster_.start();
        ctl_.env()["B3SCALE_API_URL"] = "http://127.0.0.1:" + std::to_string(cluster_.port());
        ctl_.env()["B3SCALE_DB_URL"] = cluster_.databaseUrl();
        ASSERT_EQ(ctl_.run({"auth", "authorize"}, cluster_.env().at("B3SCALE_API_JWT_SECRET") + "\n").code, 0);
    }

    void importRecording(const std::string& id, const std::string& meeting) {
        const auto encoded = core::bbb::encodeMeetingId("moodle", meeting);
        const std::string xml = "<recording><id>" + id +
                                "</id><state>published</state><published>true</published>"
                                "<start_time>1700000000000</start_time><end_time>1700000600000</end_time>"
                                "<participants>2</participants><meta><meetingId>" +
                                encoded + "</meetingId><meetingName>Lecture " + meeting +
                                "</meetingName></meta><playback><format>presentation</format>"
                                "<link>https://bbb1.example.org/playback/presentation/2.3/" +
                                id + "</link><duration>600000</duration></playback></recording>";
        dir_.write("inbox/presentation/" + id + "/metadata.xml", xml);
        const auto r =
            b3s::test::httpRequest("POST", "127.0.0.1", cluster_.port(), "/api/v1/recordings-import", xml,
                                   "application/xml", {{"Authorization", "Bearer " + b3s::test::adminToken()}});
        ASSERT_EQ(r.status, 200) << r.body;
    }

    b3s::test::TempDir dir_{"b3s-ctl-recordings"};  // before cluster_: the plugin needs the folders
    GatewayCluster cluster_;
    CtlProcess ctl_;
};

TEST_F(CtlRecordings, ShowRecordingsAndSetVisibilityMoveTheFiles) {
    importRecording("0123abcd-1700000000000", "lecture-1");
    auto r = ctl_.run({"show", "recordings", "--frontend", "moodle"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_search(r.out, std::regex("0123abcd-1700000000000 +.* +yes +Lecture lecture-1"))) << r.out;

    r = ctl_.run({"set", "recording-visibility", "0123abcd-1700000000000", "unpublished"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir_ / "unpublished/presentation/0123abcd-1700000000000/metadata.xml"));
    EXPECT_FALSE(std::filesystem::exists(dir_ / "published/presentation/0123abcd-1700000000000"));

    r = ctl_.run({"show", "recording", "0123abcd-1700000000000"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto state = parse(r.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(state->getValue<std::string>("visibility"), "unpublished");
    EXPECT_FALSE(state->getObject("recording")->getValue<bool>("Published"));

    r = ctl_.run({"set", "recording-visibility", "0123abcd-1700000000000", "public_protected"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir_ / "published/presentation/0123abcd-1700000000000/metadata.xml"));
    r = ctl_.run({"show", "recording", "0123abcd-1700000000000"});
    const auto metadata =
        parse(r.out).extract<Poco::JSON::Object::Ptr>()->getObject("recording")->getObject("Metadata");
    EXPECT_EQ(metadata->getValue<std::string>("protect"), "true");
    EXPECT_EQ(metadata->getValue<std::string>("gl-listed"), "true");

    r = ctl_.run({"set", "recording-visibility", "0123abcd-1700000000000", "everyone"});
    EXPECT_NE(r.code, 0);
    r = ctl_.run({"set", "recording-visibility", "no-such-recording-1", "published"});
    EXPECT_NE(r.code, 0);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// Callbacks the gateway gave up on, as an operator finds and re-queues them.
class CtlCallbacks : public ::testing::Test {
protected:
    CtlCallbacks() : cluster_(options(receiver_)) {}

    static GatewayClusterOptions options(const b3s::test::FrontendReceiver& receiver) {
        GatewayClusterOptions o;
        o.backends = 1;
        o.callback_allow = {receiver.allowEntry()};
        o.extra_env = {{"B3SCALE_CALLBACK_MAX_ATTEMPTS", "1"}};
        return o;
    }

    void SetUp() override {
        cluster_.addFrontend("moodle", kSecret);
        cluster_.addAllBackends();
        cluster_.start();
        ctl_.env()["B3SCALE_API_URL"] = "http://127.0.0.1:" + std::to_string(cluster_.port());
        ctl_.env()["B3SCALE_DB_URL"] = cluster_.databaseUrl();
        ASSERT_EQ(ctl_.run({"auth", "authorize"}, cluster_.env().at("B3SCALE_API_JWT_SECRET") + "\n").code, 0);
    }

    static constexpr const char* kSecret = "moodle-callback-secret-0123456789abcdef";
    b3s::test::FrontendReceiver receiver_;  // before cluster_: its port is an allow entry
    GatewayCluster cluster_;
    CtlProcess ctl_;
};

TEST_F(CtlCallbacks, ShowsDeadLettersWithoutTheirPasswordAndQueuesOneAgain) {
    receiver_.answerWith(503);
    const std::string url = "http://hook:s3cret-pass-word@127.0.0.1:" + std::to_string(receiver_.port()) + "/ended";
    const auto created = cluster_.call("moodle", kSecret, "create",
                                       "meetingID=c1&name=Cb&meta_endCallbackUrl=" + b3s::test::bbb::formEncode(url));
    ASSERT_TRUE(b3s::test::answered(created, "SUCCESS")) << created.body;
    ASSERT_TRUE(b3s::test::answered(cluster_.call("moodle", kSecret, "end", "meetingID=c1"), "SUCCESS"));
    ASSERT_TRUE(receiver_.waitFor(1));

    CtlRun r;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
        r = ctl_.run({"show", "callbacks", "--dead"});
        ASSERT_EQ(r.code, 0) << r.err;
        if (r.out.find("moodle") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } while (std::chrono::steady_clock::now() < deadline);
    EXPECT_TRUE(std::regex_search(r.out, std::regex("ID +FRONTEND +STATE +URL +ATTEMPTS +LAST ERROR +AGE"))) << r.out;
    EXPECT_TRUE(
        std::regex_search(r.out, std::regex("[-0-9a-f]{36} +moodle +dead +http://\\*\\*\\*@127\\.0\\.0\\.1:[0-9]+"
                                            "/ended.* +1 +gave up after 1 attempts: HTTP 503")))
        << r.out;
    EXPECT_EQ(r.out.find("s3cret-pass-word"), std::string::npos) << r.out;
    r = ctl_.run({"show", "callbacks"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "no callbacks\n");

    r = ctl_.run({"show", "callbacks", "--dead", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.find("s3cret-pass-word"), std::string::npos) << r.out;
    const auto dead = parse(r.out).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(dead->size(), 1u);
    const auto id = dead->getObject(0)->getValue<std::string>("id");

    receiver_.answerWith(200);
    r = ctl_.run({"retry", "callback", id});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "queued again: " + id + " (moodle)\n");
    EXPECT_TRUE(receiver_.waitFor(2));
    r = ctl_.run({"retry", "callback", id});
    EXPECT_NE(r.code, 0);
    EXPECT_EQ(r.errLines(), 1) << r.err;
    r = ctl_.run({"retry", "callback", "00000000-0000-4000-8000-000000000000"});
    EXPECT_NE(r.code, 0);
    EXPECT_EQ(r.errLines(), 1) << r.err;
}

}  // namespace
}  // namespace b3s::ctl::test
