// b3scalectl import b3scale end to end: a throwaway PostgreSQL database in the shape b3scale
// (Go) left it, a real b3scaled with fake BBB servers, and the real b3scalectl binary moving
// every frontend and backend over — dry run first, then for real, again, and after a change.
#include "ctl_process.hpp"

#include "gateway_cluster.hpp"
#include "pg_test_database.hpp"

#include "bbb/meeting_id_codec.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace b3s::ctl::test {
namespace {

using b3s::test::GatewayCluster;
using b3s::test::GatewayClusterOptions;
using b3s::test::PgConnection;
using b3s::test::PgDatabase;
using Poco::JSON::Array;
using Poco::JSON::Object;

// b3scale's tables as its migrations 1 and 2 leave them (admin spec §12); only what the
// import reads needs to be faithful, the rest is there so the database looks like the real one.
constexpr const char* kGoSchema = R"sql(
CREATE TYPE instance_state AS ENUM ('init', 'ready', 'error', 'stopped', 'decommissioned');
CREATE TABLE backends (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    node_state instance_state NOT NULL DEFAULT 'init',
    admin_state instance_state NOT NULL DEFAULT 'stopped',
    agent_heartbeat TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
    latency BIGINT NOT NULL DEFAULT 0,
    meetings_count INTEGER NOT NULL DEFAULT 0,
    attendees_count INTEGER NOT NULL DEFAULT 0,
    load_factor REAL NOT NULL DEFAULT 1.0,
    last_error TEXT NULL DEFAULT NULL,
    host TEXT NOT NULL UNIQUE,
    secret TEXT NOT NULL,
    settings JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    synced_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    agent_ref VARCHAR(64) NULL UNIQUE);
CREATE TABLE frontends (
    id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    secret TEXT NOT NULL,
    account_ref VARCHAR(80) NULL DEFAULT NULL,
    settings JSONB NOT NULL DEFAULT '{}'::jsonb,
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    synced_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE frontend_meetings (
    frontend_id uuid NOT NULL REFERENCES frontends(id) ON DELETE CASCADE,
    meeting_id VARCHAR(255) NOT NULL UNIQUE,
    seen_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE __meta__ (
    version INTEGER NOT NULL UNIQUE,
    description TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO __meta__ (version, description) VALUES (1, 'initial tables'), (2, 'node agent api');
)sql";

const std::string kGreenlightSecret = "greenlight-secret-from-b3scale-0123456789";
const std::string kMoodleSecret = "moodle-secret-from-b3scale-0123456789abcd";
const std::string kNextcloudSecret = "nextcloud-secret-from-b3scale-0123456789";
const std::string kRotatedSecret = "greenlight-rotated-secret-0123456789abcdef";
const std::string kRetiredHost = "https://retired-bbb.example.org/bigbluebutton/api/";
const std::string kBrokenHost = "http://127.0.0.1:9/bigbluebutton/api/";

Poco::Dynamic::Var parse(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json);
}

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

class CtlImport : public ::testing::Test {
protected:
    CtlImport() : cluster_(options()) {}

    static GatewayClusterOptions options() {
        GatewayClusterOptions o;
        o.backends = 3;
        return o;
    }

    void SetUp() override {
        cluster_.start();
        ctl_.env()["B3SCALE_API_URL"] = "http://127.0.0.1:" + std::to_string(cluster_.port());
        ctl_.env()["B3SCALE_DB_URL"] = cluster_.databaseUrl();  // set: no env file is read
        ctl_.env()["B3SCALE_API_JWT_SECRET"] = cluster_.env().at("B3SCALE_API_JWT_SECRET");
        admin_ = b3s::test::apiToken("import-test", "b3scale:admin", std::nullopt,
                                     cluster_.env().at("B3SCALE_API_JWT_SECRET"));
    }

    /// The fake's API URL as an operator would have typed it into b3scale: without the API path.
    std::string shortHost(std::size_t i) { return cluster_.backend(i).serverUrl(); }

    /// b3scale's database with rows covering every mapping.
    void fillGoDatabase() {
        PgConnection go(legacy_.url());
        go.execute(kGoSchema);
        go.execute(
            "INSERT INTO backends (host, secret, admin_state, node_state, load_factor, settings, agent_ref) VALUES (" +
            quoted(cluster_.backend(0).baseUrl()) + ", " + quoted(cluster_.backend(0).secret()) +
            ", 'ready', 'ready', 1.5, '{\"tags\": [\"bbb26\", \"fast\"]}', 'node-a'), (" + quoted(shortHost(1)) + ", " +
            quoted(cluster_.backend(1).secret()) +
            ", 'stopped', 'ready', 0, '{\"tags\": null, \"weight\": 3}', NULL), (" +
            quoted(cluster_.backend(2).baseUrl()) + ", " + quoted(cluster_.backend(2).secret()) +
            ", 'init', 'init', 1, '{}', 'node-c'), (" + quoted(kRetiredHost) +
            ", 'retired-secret', 'decommissioned', 'ready', 1, '{}', NULL), (" + quoted(kBrokenHost) +
            ", 'broken-secret', 'error', 'error', 2, '{\"tags\": [\"bbb26\"]}', NULL)");
        go.execute(
            "INSERT INTO frontends (key, secret, active, account_ref, settings) VALUES "
            "('greenlight', " +
            quoted(kGreenlightSecret) +
            ", true, 'customer-42', '{"
            "\"required_tags\": [\"bbb26\"],"
            "\"default_presentation\": {\"url\": \"https://example.org/welcome.pdf\", \"force\": false},"
            "\"attendees_limit\": {\"limit\": 50},"
            "\"create_default_params\": {\"welcome\": \"Hello from b3scale\", \"duration\": \"90\"},"
            "\"create_override_params\": {\"record\": \"false\"},"
            "\"join_default_params\": {\"userdata-bbb_auto_join_audio\": \"true\"},"
            "\"join_override_params\": {\"userdata-bbb_skip_check_audio\": \"true\"},"
            "\"recordings\": {\"visibility_override\": \"protected\"}}'), "
            "('moodle', " +
            quoted(kMoodleSecret) +
            ", false, NULL, '{\"required_tags\": null, \"legacy_branding\": {\"logo\": \"x.png\"}}'), "
            "('nextcloud', " +
            quoted(kNextcloudSecret) + ", true, NULL, '{}')");
    }

    CtlRun import(std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"import", "b3scale", "--from", legacy_.url()};
        args.insert(args.end(), extra.begin(), extra.end());
        return ctl_.run(args);
    }

    Array::Ptr list(const std::string& resource) const {
        const auto r = b3s::test::httpRequest("GET", "127.0.0.1", cluster_.port(), "/api/v1/" + resource, "", "",
                                              {{"Authorization", "Bearer " + admin_}});
        EXPECT_EQ(r.status, 200) << r.body;
        return parse(r.body).extract<Array::Ptr>();
    }
    std::string listText(const std::string& resource) const {
        return b3s::test::httpRequest("GET", "127.0.0.1", cluster_.port(), "/api/v1/" + resource, "", "",
                                      {{"Authorization", "Bearer " + admin_}})
            .body;
    }
    Object::Ptr find(const std::string& resource, const char* field, const std::string& value) const {
        const auto all = list(resource);
        for (std::size_t i = 0; i < all->size(); ++i)
            if (all->getObject(i)->getObject("bbb")->getValue<std::string>(field) == value) return all->getObject(i);
        return nullptr;
    }
    Object::Ptr frontend(const std::string& key) const { return find("frontends", "key", key); }
    Object::Ptr backend(const std::string& host) const { return find("backends", "host", host); }

    void expectNoSecretIn(const CtlRun& r) {
        std::vector<std::string> secrets = {kGreenlightSecret, kMoodleSecret,    kNextcloudSecret,
                                            kRotatedSecret,    "retired-secret", "broken-secret"};
        for (std::size_t i = 0; i < cluster_.backendCount(); ++i) secrets.push_back(cluster_.backend(i).secret());
        for (const auto& secret : secrets) {
            EXPECT_EQ(r.out.find(secret), std::string::npos) << "a secret on stdout:\n" << r.out;
            EXPECT_EQ(r.err.find(secret), std::string::npos) << "a secret on stderr:\n" << r.err;
        }
    }

    /// A create through b3scale's BBB API as the tenant's application sends it; retried while
    /// the fresh rows reach b3scaled's view.
    b3s::test::HttpResult createMeeting(const std::string& key, const std::string& secret, const std::string& id) {
        b3s::test::HttpResult r;
        for (int i = 0; i < 100; ++i) {
            r = cluster_.call(key, secret, "create", "meetingID=" + id + "&name=Imported+room");
            if (b3s::test::answered(r, "SUCCESS")) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return r;
    }

    GatewayCluster cluster_;
    PgDatabase legacy_;  ///< b3scale's (Go) database
    CtlProcess ctl_;
    std::string admin_;
};

TEST_F(CtlImport, MovesEveryFrontendAndBackendOverIdempotentlyAfterADryRun) {
    fillGoDatabase();
    // Something only this b3scale has: the import must leave it alone.
    ASSERT_EQ(ctl_.run({"add", "frontend", "--secret", "kept-secret-only-here-0123456789abcdef", "kept"}).code, 0);
    const std::string frontends_before = listText("frontends");
    const std::string backends_before = listText("backends");

    // Dry run: the plan, nothing changed.
    auto r = import({"--dry"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "");
    expectNoSecretIn(r);
    EXPECT_NE(r.out.find("backend " + cluster_.backend(0).baseUrl() + ": create\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("backend " + cluster_.backend(1).baseUrl() + ": create\n"), std::string::npos)
        << "the short host is normalised:\n"
        << r.out;
    EXPECT_NE(r.out.find("backend " + kRetiredHost + ": not imported: decommissioned in b3scale\n"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("frontend greenlight: create\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("warning: frontend moodle: setting 'legacy_branding' has no equivalent"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("warning: backend " + cluster_.backend(1).baseUrl() + ": setting 'weight'"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("warning: backend " + kBrokenHost + ": admin state 'error'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("dry run: 7 to create, 0 to update, 0 unchanged, 1 skipped; nothing was changed\n"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(listText("frontends"), frontends_before);
    EXPECT_EQ(listText("backends"), backends_before);

    // The import.
    r = import();
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    expectNoSecretIn(r);
    EXPECT_NE(r.out.find("7 created, 0 updated, 0 unchanged, 1 skipped\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("frontend greenlight: created\n"), std::string::npos) << r.out;

    const auto greenlight = frontend("greenlight");
    ASSERT_TRUE(greenlight);
    EXPECT_EQ(greenlight->getObject("bbb")->getValue<std::string>("secret"), kGreenlightSecret);
    EXPECT_TRUE(greenlight->getValue<bool>("active"));
    EXPECT_EQ(greenlight->getValue<std::string>("account_ref"), "customer-42");
    const auto settings = greenlight->getObject("settings");
    EXPECT_EQ(settings->getArray("required_tags")->getElement<std::string>(0), "bbb26");
    EXPECT_EQ(settings->getObject("default_presentation")->getValue<std::string>("url"),
              "https://example.org/welcome.pdf");
    EXPECT_EQ(settings->getObject("attendees_limit")->getValue<int>("limit"), 50);
    EXPECT_EQ(settings->getObject("create_default_params")->getValue<std::string>("welcome"), "Hello from b3scale");
    EXPECT_EQ(settings->getObject("create_override_params")->getValue<std::string>("record"), "false");
    EXPECT_EQ(settings->getObject("join_default_params")->getValue<std::string>("userdata-bbb_auto_join_audio"),
              "true");
    EXPECT_EQ(settings->getObject("join_override_params")->getValue<std::string>("userdata-bbb_skip_check_audio"),
              "true");
    EXPECT_EQ(settings->getObject("recordings")->getValue<std::string>("visibility_override"), "protected");
    const auto moodle = frontend("moodle");
    ASSERT_TRUE(moodle);
    EXPECT_FALSE(moodle->getValue<bool>("active")) << "an inactive frontend stays inactive";
    EXPECT_EQ(moodle->getValue<std::string>("deactivated_by"), "operator");
    ASSERT_TRUE(frontend("nextcloud"));
    EXPECT_TRUE(frontend("kept")) << "nothing only this b3scale has is deleted";

    const auto b0 = backend(cluster_.backend(0).baseUrl());
    ASSERT_TRUE(b0);
    EXPECT_EQ(b0->getValue<std::string>("admin_state"), "ready");
    EXPECT_DOUBLE_EQ(b0->getValue<double>("load_factor"), 1.5);
    EXPECT_EQ(b0->getValue<std::string>("agent_ref"), "node-a");
    EXPECT_EQ(b0->getObject("settings")->getArray("tags")->size(), 2u);
    const auto b1 = backend(cluster_.backend(1).baseUrl());
    ASSERT_TRUE(b1);
    EXPECT_EQ(b1->getValue<std::string>("admin_state"), "stopped");
    EXPECT_DOUBLE_EQ(b1->getValue<double>("load_factor"), 1.0) << "0 meant 1 in b3scale";
    EXPECT_TRUE(b1->getObject("settings")->isNull("tags"));
    const auto b2 = backend(cluster_.backend(2).baseUrl());
    ASSERT_TRUE(b2);
    EXPECT_EQ(b2->getValue<std::string>("admin_state"), "init");
    EXPECT_EQ(b2->getValue<std::string>("agent_ref"), "node-c");
    const auto broken = backend(kBrokenHost);
    ASSERT_TRUE(broken);
    EXPECT_EQ(broken->getValue<std::string>("admin_state"), "stopped");
    EXPECT_FALSE(backend(kRetiredHost)) << "decommissioned backends are not imported";

    // The tenant's application, unchanged, creates a meeting with its b3scale secret; it lands
    // on the only ready backend with the required tag, whose secret came from the import (the
    // fake checks the checksum), with the frontend's parameters.
    const auto created = createMeeting("greenlight", kGreenlightSecret, "after-the-move");
    ASSERT_TRUE(b3s::test::answered(created, "SUCCESS")) << created.body;
    const auto placed = cluster_.backend(0).meeting(core::bbb::encodeMeetingId("greenlight", "after-the-move"));
    ASSERT_TRUE(placed) << "not on the tagged ready backend";
    const auto param = [&](const std::string& name) {
        for (const auto& [k, v] : placed->createParams)
            if (k == name) return v;
        return std::string("<absent>");
    };
    EXPECT_EQ(param("record"), "false");
    EXPECT_EQ(param("welcome"), "Hello from b3scale");
    EXPECT_TRUE(cluster_.backend(1).meetings().empty());
    EXPECT_TRUE(cluster_.backend(2).meetings().empty());

    // Again: nothing to do.
    r = import();
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("0 created, 0 updated, 7 unchanged, 1 skipped\n"), std::string::npos) << r.out;

    // Rows changed in the old database are updated, and only what changed.
    PgConnection go(legacy_.url());
    go.execute("UPDATE frontends SET secret = " + quoted(kRotatedSecret) +
               ", settings = jsonb_set(settings, '{create_default_params}', '{\"welcome\": \"Hello from b3scale\"}')"
               " WHERE key = 'greenlight'");
    go.execute("UPDATE backends SET admin_state = 'ready', settings = '{\"tags\": [\"new\"]}' WHERE host = " +
               quoted(shortHost(1)));
    r = import({"--dry-run"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    expectNoSecretIn(r);
    EXPECT_NE(r.out.find("frontend greenlight: update (secret: changed, settings.create_default_params: changed)\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("backend " + cluster_.backend(1).baseUrl() +
                         ": update (settings.tags: changed, admin_state: stopped -> ready)\n"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(frontend("greenlight")->getObject("bbb")->getValue<std::string>("secret"), kGreenlightSecret);
    r = import();
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    expectNoSecretIn(r);
    EXPECT_NE(r.out.find("0 created, 2 updated, 5 unchanged, 1 skipped\n"), std::string::npos) << r.out;
    const auto updated = frontend("greenlight");
    EXPECT_EQ(updated->getObject("bbb")->getValue<std::string>("secret"), kRotatedSecret);
    EXPECT_FALSE(updated->getObject("settings")->getObject("create_default_params")->has("duration"))
        << "a parameter the old row dropped is dropped here too";
    EXPECT_EQ(updated->getObject("settings")->getObject("attendees_limit")->getValue<int>("limit"), 50);
    EXPECT_EQ(backend(cluster_.backend(1).baseUrl())->getValue<std::string>("admin_state"), "ready");
    EXPECT_TRUE(b3s::test::answered(createMeeting("greenlight", kRotatedSecret, "with-the-rotated-secret"), "SUCCESS"));
    EXPECT_TRUE(frontend("kept"));
}

TEST_F(CtlImport, AnUnreadableSourceIsOneLineAndChangesNothing) {
    const std::string before = listText("frontends");
    struct Case {
        std::string from;
        std::string says;
    };
    PgDatabase empty;  // reachable, but no b3scale tables
    for (const auto& c : std::vector<Case>{
             {"postgres://b3scale:pw-that-must-not-show@127.0.0.1:1/b3scale", "cannot connect to the b3scale database"},
             {"host=127.0.0.1 port=1 dbname=b3scale password=pw-that-must-not-show",
              "cannot connect to the b3scale database"},
             {"not a connection string", "cannot connect to the b3scale database"},
             {empty.url(), "this is no b3scale database: it has no table frontends"}}) {
        const auto r = ctl_.run({"import", "b3scale", "--from", c.from});
        EXPECT_EQ(r.code, 1) << c.from << "\n" << r.out << r.err;
        EXPECT_EQ(r.errLines(), 1) << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("pw-that-must-not-show"), std::string::npos) << r.err;
        EXPECT_EQ(r.out, "");
    }
    const auto usage = ctl_.run({"import", "b3scale"});
    EXPECT_EQ(usage.code, 2) << usage.err;
    EXPECT_EQ(usage.errLines(), 1) << usage.err;
    EXPECT_EQ(listText("frontends"), before);
}

TEST_F(CtlImport, ARefusedRowIsReportedTheOthersImportedAndTheExitIsNonZero) {
    PgConnection go(legacy_.url());
    go.execute(kGoSchema);
    // A key our API refuses (it could not be one path segment of /bbb/<key>/…).
    go.execute(
        "INSERT INTO frontends (key, secret) VALUES ('bad/key', 'bad-key-secret-0123456789abcdef012345'), "
        "('fine', 'fine-secret-0123456789abcdef0123456789')");
    auto r = import();
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_EQ(r.errLines(), 1) << r.err;
    EXPECT_NE(r.err.find("import incomplete: 1 change was refused"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("frontend bad/key: create refused: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("frontend fine: created\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 created, 0 updated, 0 unchanged, 0 skipped, 1 failed\n"), std::string::npos) << r.out;
    EXPECT_TRUE(frontend("fine"));

    // b3scaled unreachable: one line, nothing claimed.
    const auto away = ctl_.run({"--api", "http://127.0.0.1:1", "import", "b3scale", "--from", legacy_.url()});
    EXPECT_EQ(away.code, 1) << away.out << away.err;
    EXPECT_EQ(away.errLines(), 1) << away.err;
}

}  // namespace
}  // namespace b3s::ctl::test
