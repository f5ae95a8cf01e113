#include "backend_view.hpp"
#include "frontend_view.hpp"
#include "json_text.hpp"
#include "meeting_view.hpp"
#include "status_view.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace b3s::ctl {
namespace {

const auto kNow = parseTimestamp("2025-01-01T12:00:00Z").value();

Poco::JSON::Array::Ptr arrayOf(const std::string& json) {
    return asArray(parseJson(json, "test"));
}

TEST(BackendView, TableShowsHealthPollAgentAndLoadAtAGlance) {
    const auto backends = arrayOf(R"([
      {"id":"b1","node_state":"ready","admin_state":"ready","agent_heartbeat":"2000-01-01T00:00:00Z","agent_ref":null,
       "last_error":null,"latency":12345678,"meetings_count":3,"attendees_count":42,"load_factor":1.0,"load":45,
       "bbb":{"host":"https://bbb1.example.org/bigbluebutton/api/","secret":"s1"},"settings":{"tags":["bbb_26","ssd"]},
       "created_at":"2024-12-01T00:00:00Z","updated_at":"0001-01-01T00:00:00Z","synced_at":"2025-01-01T11:59:57Z"},
      {"id":"b2","node_state":"init","admin_state":"stopped","agent_heartbeat":"2025-01-01T11:59:58Z","agent_ref":"oak-river-fox",
       "last_error":"connection refused by the BBB server while polling getMeetings","latency":0,"meetings_count":0,
       "attendees_count":0,"load_factor":2.5,"load":null,"bbb":{"host":"https://bbb2.example.org/bigbluebutton/api/","secret":"s2"},
       "settings":{"tags":null},"created_at":"2024-12-01T00:00:00Z","updated_at":"0001-01-01T00:00:00Z",
       "synced_at":"0001-01-01T00:00:00Z"}])");
    std::ostringstream out;
    writeBackendTable(out, backends, kNow);
    EXPECT_EQ(out.str(),
              "HOST                                         ADMIN    HEALTH  LAST POLL  AGENT     MEETINGS  ATTENDEES  "
              "LOAD  FACTOR  LATENCY  TAGS        LAST ERROR\n"
              "https://bbb1.example.org/bigbluebutton/api/  ready    ready   3s ago     no agent         3         42  "
              "  45       1  12.3 ms  bbb_26,ssd\n"
              "https://bbb2.example.org/bigbluebutton/api/  stopped  init    never      2s ago           0          0  "
              "   -     2.5        -              connection refused by the BBB server wh…\n");
    EXPECT_EQ(out.str().find("s1"), std::string::npos);  // no secrets in the table

    std::ostringstream empty;
    writeBackendTable(empty, arrayOf("[]"), kNow);
    EXPECT_EQ(empty.str(), "no backends\n");
}

TEST(BackendView, DetailsLeaveTheSecretOut) {
    const auto backend = asObject(parseJson(
        R"({"id":"b1","node_state":"offline","admin_state":"ready","agent_heartbeat":"2025-01-01T11:00:00Z","agent_ref":"a",
            "last_error":"timeout","latency":1000000,"meetings_count":1,"attendees_count":2,"load_factor":1,
            "bbb":{"host":"https://h/bigbluebutton/api/","secret":"very-secret"},"settings":{"tags":["x"]},
            "created_at":"c","updated_at":"u","synced_at":"2025-01-01T11:58:00Z"})",
        "t"));
    std::ostringstream out;
    writeBackendDetails(out, backend, kNow);
    const std::string text = out.str();
    EXPECT_NE(text.find("Health:           offline"), std::string::npos) << text;
    EXPECT_NE(text.find("Last poll:        2m ago (2025-01-01T11:58:00Z)"), std::string::npos) << text;
    EXPECT_NE(text.find("Agent heartbeat:  1h ago"), std::string::npos) << text;
    EXPECT_NE(text.find("Last error:       timeout"), std::string::npos) << text;
    EXPECT_NE(text.find("Load:             -"), std::string::npos) << text;  // a server that does not say
    EXPECT_NE(text.find("Load factor:      1"), std::string::npos) << text;
    EXPECT_EQ(text.find("very-secret"), std::string::npos) << text;
}

TEST(FrontendView, TableWithoutSecretsAndOnlySetSettings) {
    const auto frontends = arrayOf(R"([{"id":"f1","active":true,"bbb":{"key":"greenlight01","secret":"fs"},
        "settings":{"required_tags":["bbb_26"],"default_presentation":null,"attendees_limit":null,
        "create_default_params":{},"create_override_params":{},"join_default_params":{},"join_override_params":{},
        "recordings":null},"account_ref":null,"created_at":"c","updated_at":"u"},
        {"id":"f2","active":false,"bbb":{"key":"moodle","secret":"ms"},"settings":{},"account_ref":"customer-42"}])");
    std::ostringstream out;
    writeFrontendTable(out, frontends);
    EXPECT_EQ(out.str(),
              "KEY           STATE     ACCOUNT      ID  SETTINGS\n"
              "greenlight01  enabled   -            f1  {\"required_tags\":[\"bbb_26\"]}\n"
              "moodle        disabled  customer-42  f2\n");
}

TEST(FrontendView, DetailsGiveTheTenantsUrlAndSecret) {
    const auto frontend = asObject(parseJson(
        R"({"id":"f1","active":true,"bbb":{"key":"gl","secret":"fs"},"settings":{},"account_ref":null})", "t"));
    std::ostringstream out;
    writeFrontendDetails(out, frontend, ApiEndpoint::parse("https://b3s.example.org"));
    EXPECT_NE(out.str().find("Frontend URL:     https://b3s.example.org/bbb/gl/\nFrontend Secret:  fs\n"),
              std::string::npos)
        << out.str();
}

TEST(MeetingView, DecodedIdsBackendHostsAndAttendees) {
    const auto meetings = arrayOf(R"([
      {"id":"enc1","internal_id":"i1","frontend_id":"f1","frontend_key":"gl","meeting_id":"room-1","backend_id":"b1",
       "meeting":{"MeetingName":"Maths","ParticipantCount":7},"created_at":"2025-01-01T11:50:00Z"},
      {"id":"enc2","internal_id":"i2","frontend_id":"f1","frontend_key":"gl","meeting_id":"room-2","backend_id":null,
       "meeting":null,"created_at":"0001-01-01T00:00:00Z"},
      {"id":"enc3","frontend_key":"gl","meeting_id":"room-3","backend_id":"b1","meeting":{},
       "created_at":"2025-01-01T09:00:00Z","lost_at":"2025-01-01T11:00:00Z"}])");
    std::ostringstream out;
    writeMeetingTable(out, meetings, {{"b1", "https://bbb1/bigbluebutton/api/"}}, kNow);
    EXPECT_EQ(out.str(),
              "FRONTEND  MEETING ID  NAME   BACKEND                                 ATTENDEES  CREATED\n"
              "gl        room-1      Maths  https://bbb1/bigbluebutton/api/                 7  10m ago\n"
              "gl        room-2             -                                               -  -\n"
              "gl        room-3             lost (https://bbb1/bigbluebutton/api/)          -  3h ago\n");
}

TEST(MeetingView, ColumnsTheServerDoesNotFillAreLeftOut) {
    const auto meetings = arrayOf(R"([{"id":"enc1","frontend_key":"gl","meeting_id":"room-1","backend_id":"b1",
        "meeting":{"MeetingID":"enc1","AttendeePW":"ap"},"created_at":"2025-01-01T11:59:00Z","lost_at":null}])");
    std::ostringstream out;
    writeMeetingTable(out, meetings, {{"b1", "https://bbb1/bigbluebutton/api/"}}, kNow);
    EXPECT_EQ(out.str(),
              "FRONTEND  MEETING ID  BACKEND                          CREATED\n"
              "gl        room-1      https://bbb1/bigbluebutton/api/  1m ago\n");
}

TEST(StatusView, WarnsAboutPendingMigrations) {
    const auto status = asObject(parseJson(
        R"({"version":"0.1.0","build":"abc1234","api":"v1","account_ref":"b3scalectl","is_admin":true,
            "database":{"available":true,"database":"b3scale","migrated":false,
            "migration":{"applied_at":"2025-01-01T10:00:00Z","description":"initial tables","version":1},
            "pending_migrations":2,"error":null}})",
        "t"));
    std::ostringstream out;
    writeStatus(out, status, "http://127.0.0.1:42352");
    const std::string text = out.str();
    EXPECT_NE(text.find("b3scale @ http://127.0.0.1:42352\n"), std::string::npos) << text;
    EXPECT_NE(text.find("Schema:          v1, 'initial tables', applied at: 2025-01-01T10:00:00Z"), std::string::npos)
        << text;
    EXPECT_NE(text.find("2 pending migrations"), std::string::npos) << text;
    EXPECT_NE(text.find("b3scalectl db migrate"), std::string::npos) << text;
    EXPECT_EQ(pendingMigrations(status), 2);
}

}  // namespace
}  // namespace b3s::ctl
