// FakeBbbServer over real HTTP: does it answer as bbb-api.md says a BBB server does?
// Requests are signed with signQuery (Poco's SHA engines); the server verifies with its own
// OpenSSL-based code, so each accepted request checks one implementation against the other.

#include "fake_bbb/fake_bbb_server.hpp"
#include "bbb_http_client.hpp"
#include "fake_bbb/sign_query.hpp"

#include <Poco/SHA1Engine.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

namespace b3s::test::bbb {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSecret = "639259d4-9dd8-4b25-bf01-95f9567eaf4b";
constexpr std::int64_t kJan2024Ms = 1'704'067'200'000;  // Mon Jan 01 00:00:00 UTC 2024

std::string sha1Of(const std::string& text) {
    Poco::SHA1Engine engine;
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

class FakeBbb : public ::testing::Test {
protected:
    FakeBbbOptions options() {
        FakeBbbOptions o;
        o.seed = 42;
        o.now_ms = [this] { return now_.load(); };
        return o;
    }

    HttpResult get(std::string_view call, const std::string& query,
                   ChecksumAlgorithm algorithm = ChecksumAlgorithm::sha1, FakeBbbServer* server = nullptr) {
        return httpGet((server ? server : server_.get())->signedUrl(call, query, algorithm));
    }

    /// A signed GET that must answer HTTP 200 text/xml; returns the parsed document.
    XmlDoc api(std::string_view call, const std::string& query, FakeBbbServer* server = nullptr) {
        const HttpResult result = get(call, query, ChecksumAlgorithm::sha1, server);
        EXPECT_EQ(result.status, 200) << call << "?" << query;
        EXPECT_EQ(result.header("Content-Type"), "text/xml;charset=UTF-8");
        return XmlDoc(result.body);
    }

    XmlDoc create(const std::string& meetingId, const std::string& extra = {}, FakeBbbServer* server = nullptr) {
        std::string query = buildQuery({{"meetingID", meetingId}, {"name", "Meeting " + meetingId}});
        if (!extra.empty()) query += "&" + extra;
        return api("create", query, server);
    }

    HttpResult join(const std::string& meetingId, const std::string& fullName, const std::string& extra) {
        return get("join", buildQuery({{"meetingID", meetingId}, {"fullName", fullName}}) + "&" + extra);
    }

    std::atomic<std::int64_t> now_{kJan2024Ms};
    std::unique_ptr<FakeBbbServer> server_ = std::make_unique<FakeBbbServer>(kSecret, options());
};

// --- index, routing ----------------------------------------------------------------------

TEST_F(FakeBbb, IndexAnswersWithoutChecksumWithAndWithoutTrailingSlash) {
    for (const std::string& url : {server_->baseUrl(), server_->serverUrl() + "/bigbluebutton/api"}) {
        const HttpResult result = httpGet(url);
        EXPECT_EQ(result.status, 200);
        EXPECT_EQ(result.header("Content-Type"), "text/xml;charset=UTF-8");
        const XmlDoc doc(result.body);
        EXPECT_EQ(doc.text("returncode"), "SUCCESS");
        EXPECT_EQ(doc.text("version"), "2.0");
        EXPECT_EQ(doc.text("apiVersion"), "2.0");
        EXPECT_TRUE(doc.has("graphqlWebsocketUrl"));
    }
    EXPECT_EQ(httpRequest("POST", server_->baseUrl(), "", "application/x-www-form-urlencoded").status, 200);
    EXPECT_EQ(server_->callCount("index"), 3u);
}

TEST_F(FakeBbb, BaseUrlPointsAtTheApiOnLoopback) {
    EXPECT_EQ(server_->baseUrl(), "http://127.0.0.1:" + std::to_string(server_->port()) + "/bigbluebutton/api/");
    EXPECT_NE(server_->port(), 0);
    EXPECT_EQ(server_->secret(), kSecret);
}

TEST_F(FakeBbb, UnknownAndRemovedCallsAnswerUnsupportedRequest) {
    for (const char* call : {"getDefaultConfigXML", "setConfigXML", "noSuchCall", "hooks/list"}) {
        const XmlDoc doc = api(call, "meetingID=x");
        EXPECT_EQ(doc.text("returncode"), "FAILED") << call;
        EXPECT_EQ(doc.text("messageKey"), "unsupportedRequest") << call;
        EXPECT_EQ(doc.text("message"), "This request is not supported.");
    }
}

TEST_F(FakeBbb, MethodsFollowBbbsUrlMappings) {
    create("m1");
    const HttpResult postJoin = httpRequest("POST", server_->signedUrl("join", "meetingID=m1&fullName=A&role=VIEWER"));
    EXPECT_EQ(postJoin.status, 405);
    EXPECT_EQ(postJoin.header("Allow"), "GET");
    EXPECT_EQ(httpGet(server_->signedUrl("insertDocument", "meetingID=m1")).status, 405);
    EXPECT_EQ(httpRequest("POST", server_->signedUrl("sendChatMessage", "meetingID=m1&message=hi")).status, 405);
    EXPECT_EQ(httpRequest("DELETE", server_->signedUrl("getMeetings", "")).status, 405);
    EXPECT_EQ(httpGet(server_->serverUrl() + "/somewhere/else").status, 404);
}

// --- checksum ----------------------------------------------------------------------------

TEST_F(FakeBbb, AcceptsEveryChecksumAlgorithmChosenByLength) {
    for (auto algorithm :
         {ChecksumAlgorithm::sha1, ChecksumAlgorithm::sha256, ChecksumAlgorithm::sha384, ChecksumAlgorithm::sha512}) {
        const HttpResult result = get("getMeetings", "", algorithm);
        EXPECT_EQ(XmlDoc(result.body).text("returncode"), "SUCCESS") << algorithmName(algorithm);
    }
}

TEST_F(FakeBbb, AcceptsUpperCaseHexChecksums) {
    for (auto algorithm : {ChecksumAlgorithm::sha1, ChecksumAlgorithm::sha256, ChecksumAlgorithm::sha512}) {
        std::string checksum = checksumHex("isMeetingRunning", "meetingID=x1", kSecret, algorithm);
        std::transform(checksum.begin(), checksum.end(), checksum.begin(),
                       [](unsigned char c) { return std::toupper(c); });
        const HttpResult result = httpGet(server_->baseUrl() + "isMeetingRunning?meetingID=x1&checksum=" + checksum);
        EXPECT_EQ(XmlDoc(result.body).text("returncode"), "SUCCESS") << algorithmName(algorithm);
    }
}

TEST_F(FakeBbb, AcceptsTheDocsLiteralTestVector) {
    // Neither signQuery nor the server computed this value: it is the docs' own example.
    const HttpResult result = httpGet(server_->baseUrl() +
                                      "create?name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"
                                      "&checksum=1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17");
    const XmlDoc doc(result.body);
    EXPECT_EQ(doc.text("returncode"), "SUCCESS");
    EXPECT_EQ(doc.text("attendeePW"), "111222");
    EXPECT_EQ(server_->meeting("abc123")->name, "Test Meeting");
}

TEST_F(FakeBbb, RejectsWrongMissingAndOddLengthChecksumsWithHttp200) {
    const std::string good = checksumHex("getMeetings", "", kSecret, ChecksumAlgorithm::sha1);
    for (const std::string& query :
         {std::string("checksum=") + std::string(40, 'a'), std::string(""), std::string("checksum="),
          "checksum=" + good.substr(0, 39), "checksum=" + good + "0"}) {
        const HttpResult result = httpGet(server_->baseUrl() + "getMeetings" + (query.empty() ? "" : "?" + query));
        EXPECT_EQ(result.status, 200) << query;
        const XmlDoc doc(result.body);
        EXPECT_EQ(doc.text("returncode"), "FAILED") << query;
        EXPECT_EQ(doc.text("messageKey"), "checksumError") << query;
        EXPECT_EQ(doc.text("message"), "Checksums do not match");
    }
    // The right checksum made with another secret.
    const HttpResult other = httpGet(server_->baseUrl() + "getMeetings?" + signQuery("getMeetings", "", "other"));
    EXPECT_EQ(XmlDoc(other.body).text("messageKey"), "checksumError");
}

TEST_F(FakeBbb, ChecksumMayStandFirstInTheMiddleOrLast) {
    const std::string query = "meetingID=pos1&name=Positions";
    const std::string sum = checksumHex("create", query, kSecret);
    const std::string base = server_->baseUrl() + "create?";
    EXPECT_EQ(XmlDoc(httpGet(base + "checksum=" + sum + "&" + query).body).text("returncode"), "SUCCESS");
    EXPECT_EQ(XmlDoc(httpGet(base + "meetingID=pos1&checksum=" + sum + "&name=Positions").body).text("returncode"),
              "SUCCESS");
    EXPECT_EQ(XmlDoc(httpGet(base + query + "&checksum=" + sum).body).text("messageKey"), "duplicateWarning");
}

TEST_F(FakeBbb, ChecksumCoversTheRawQueryNotItsDecodedForm) {
    // Signed with %20, sent with '+': same decoded value, different bytes → rejected.
    const std::string sum = checksumHex("create", "meetingID=raw1&name=Raw%20Name", kSecret);
    const HttpResult reencoded = httpGet(server_->baseUrl() + "create?meetingID=raw1&name=Raw+Name&checksum=" + sum);
    EXPECT_EQ(XmlDoc(reencoded.body).text("messageKey"), "checksumError");
    const HttpResult exact = httpGet(server_->baseUrl() + "create?meetingID=raw1&name=Raw%20Name&checksum=" + sum);
    EXPECT_EQ(XmlDoc(exact.body).text("returncode"), "SUCCESS");
    EXPECT_EQ(server_->meeting("raw1")->name, "Raw Name");
    // Characters some HTTP libraries re-escape in transit.
    const std::string odd = "meetingID=odd1&name=it's+(odd)*!";
    EXPECT_EQ(XmlDoc(get("create", odd).body).text("returncode"), "SUCCESS");
    EXPECT_EQ(server_->meeting("odd1")->name, "it's (odd)*!");
}

TEST_F(FakeBbb, UnsupportedAlgorithmsAreRejected) {
    FakeBbbOptions o = options();
    o.supported_algorithms = {ChecksumAlgorithm::sha1};
    FakeBbbServer sha1Only(kSecret, o);
    EXPECT_EQ(XmlDoc(get("getMeetings", "", ChecksumAlgorithm::sha1, &sha1Only).body).text("returncode"), "SUCCESS");
    EXPECT_EQ(XmlDoc(get("getMeetings", "", ChecksumAlgorithm::sha256, &sha1Only).body).text("messageKey"),
              "checksumError");
}

TEST_F(FakeBbb, EmptySecretTurnsCheckingOff) {
    FakeBbbServer open("", options());
    const HttpResult result = httpGet(open.baseUrl() + "getMeetings");
    EXPECT_EQ(XmlDoc(result.body).text("returncode"), "SUCCESS");
}

// --- POST forms --------------------------------------------------------------------------

TEST_F(FakeBbb, FormPostParametersAreReadAndTheUrlQueryIsSigned) {
    const std::string form = buildQuery({{"meetingID", "form1"}, {"name", "Form Meeting"}, {"meta_origin", "f"}});
    const HttpResult created =
        httpRequest("POST", server_->signedUrl("create", ""), form, "application/x-www-form-urlencoded");
    EXPECT_EQ(created.status, 200);
    EXPECT_EQ(XmlDoc(created.body).text("meetingID"), "form1");
    EXPECT_EQ(server_->meeting("form1")->metadata.at("origin"), "f");

    // The checksum itself may travel in the body; the URL query is then empty.
    const std::string infoForm = "meetingID=form1&" + signQuery("getMeetingInfo", "", kSecret);
    const HttpResult info =
        httpRequest("POST", server_->baseUrl() + "getMeetingInfo", infoForm, "application/x-www-form-urlencoded");
    EXPECT_EQ(XmlDoc(info.body).text("meetingName"), "Form Meeting");

    const HttpResult ended =
        httpRequest("POST", server_->signedUrl("end", ""), "meetingID=form1", "application/x-www-form-urlencoded");
    EXPECT_EQ(XmlDoc(ended.body).text("messageKey"), "sentEndMeetingRequest");
    EXPECT_FALSE(server_->meeting("form1"));
}

TEST_F(FakeBbb, SortedParamsPostChecksumOnlyWhenEnabled) {
    const std::string form = "name=Sorted+Meeting&meetingID=sorted1";
    const std::string sum =
        checksumHex("create", "meetingID=sorted1&name=Sorted+Meeting", kSecret, ChecksumAlgorithm::sha256);
    const HttpResult strict =
        httpRequest("POST", server_->baseUrl() + "create?checksum=" + sum, form, "application/x-www-form-urlencoded");
    EXPECT_EQ(XmlDoc(strict.body).text("messageKey"), "checksumError");

    FakeBbbOptions o = options();
    o.accept_sorted_params_checksum = true;
    FakeBbbServer legacy(kSecret, o);
    const HttpResult lenient =
        httpRequest("POST", legacy.baseUrl() + "create?checksum=" + sum, form, "application/x-www-form-urlencoded");
    EXPECT_EQ(XmlDoc(lenient.body).text("returncode"), "SUCCESS");
}

// --- create ------------------------------------------------------------------------------

TEST_F(FakeBbb, CreateAnswersBbbsElementsInOrder) {
    const XmlDoc doc = create("order1");
    EXPECT_EQ(doc.rootName(), "response");
    EXPECT_EQ(doc.childNames(),
              (std::vector<std::string>{"returncode", "meetingID", "internalMeetingID", "parentMeetingID", "attendeePW",
                                        "moderatorPW", "createTime", "voiceBridge", "dialNumber", "createDate",
                                        "hasUserJoined", "duration", "hasBeenForciblyEnded", "messageKey", "message"}));
    EXPECT_EQ(doc.text("parentMeetingID"), "bbb-none");
    EXPECT_EQ(doc.text("messageKey"), "");
}

TEST_F(FakeBbb, CreateGeneratesWhatBbbGenerates) {
    const XmlDoc doc = create("gen1");
    EXPECT_EQ(doc.text("createTime"), std::to_string(kJan2024Ms));
    EXPECT_EQ(doc.text("createDate"), "Mon Jan 01 00:00:00 UTC 2024");
    EXPECT_EQ(doc.text("internalMeetingID"), sha1Of("gen1") + "-" + std::to_string(kJan2024Ms));
    const std::string voiceBridge = doc.text("voiceBridge");
    EXPECT_EQ(voiceBridge.size(), 5u);
    EXPECT_TRUE(std::all_of(voiceBridge.begin(), voiceBridge.end(), [](unsigned char c) { return std::isdigit(c); }));
    EXPECT_FALSE(doc.text("attendeePW").empty());
    EXPECT_FALSE(doc.text("moderatorPW").empty());
    EXPECT_NE(doc.text("attendeePW"), doc.text("moderatorPW"));
    EXPECT_EQ(doc.text("dialNumber"), "613-555-1234");
    EXPECT_EQ(doc.text("duration"), "0");

    const XmlDoc second = create("gen2");
    EXPECT_NE(second.text("voiceBridge"), doc.text("voiceBridge"));
}

TEST_F(FakeBbb, CreateKeepsGivenParameters) {
    const XmlDoc doc = create("given1",
                              "attendeePW=ap&moderatorPW=mp&voiceBridge=70001&dialNumber=%2B49-1&duration=45"
                              "&record=true&maxParticipants=7&meta_endCallbackUrl=http%3A%2F%2Fx%2Fy"
                              "&meta_bbb-origin=Greenlight&meta_bad_name=ignored&meta_1x=ignored");
    EXPECT_EQ(doc.text("attendeePW"), "ap");
    EXPECT_EQ(doc.text("moderatorPW"), "mp");
    EXPECT_EQ(doc.text("voiceBridge"), "70001");
    EXPECT_EQ(doc.text("dialNumber"), "+49-1");
    EXPECT_EQ(doc.text("duration"), "45");
    const XmlDoc info = api("getMeetingInfo", "meetingID=given1");
    EXPECT_EQ(info.text("recording"), "true");
    EXPECT_EQ(info.text("maxUsers"), "7");
    EXPECT_EQ(info.childNames("metadata"), (std::vector<std::string>{"bbb-origin", "endcallbackurl"}));
    EXPECT_EQ(info.text("metadata/endcallbackurl"), "http://x/y");
    EXPECT_EQ(info.text("metadata/bbb-origin"), "Greenlight");
}

TEST_F(FakeBbb, CreateTwiceIsIdempotentWithDuplicateWarning) {
    const XmlDoc first = create("dup1", "attendeePW=ap&moderatorPW=mp");
    now_ += 5000;
    const XmlDoc again = create("dup1", "attendeePW=ap&moderatorPW=mp");
    EXPECT_EQ(again.text("returncode"), "SUCCESS");
    EXPECT_EQ(again.text("messageKey"), "duplicateWarning");
    EXPECT_EQ(again.text("message"), "This conference was already in existence and may currently be in progress.");
    EXPECT_EQ(again.text("internalMeetingID"), first.text("internalMeetingID"));
    EXPECT_EQ(again.text("createTime"), first.text("createTime"));
    // 3.0: no passwords at all also counts as the same meeting.
    EXPECT_EQ(create("dup1").text("messageKey"), "duplicateWarning");
    EXPECT_EQ(server_->meeting("dup1")->createCalls, 3);
    EXPECT_EQ(server_->meetings().size(), 1u);
}

TEST_F(FakeBbb, CreateWithOtherPasswordsIsIdNotUnique) {
    create("uniq1", "attendeePW=ap&moderatorPW=mp");
    const XmlDoc doc = create("uniq1", "attendeePW=other&moderatorPW=mp");
    EXPECT_EQ(doc.text("returncode"), "FAILED");
    EXPECT_EQ(doc.text("messageKey"), "idNotUnique");
}

TEST_F(FakeBbb, CreateValidatesLikeBbb) {
    EXPECT_EQ(api("create", "name=No+Id").text("messageKey"), "missingParamMeetingID");
    EXPECT_EQ(api("create", "meetingID=noname").text("messageKey"), "validationError");
    EXPECT_EQ(api("create", "meetingID=x&name=Short+Id").text("messageKey"), "validationError");
    EXPECT_EQ(api("create", "meetingID=a%2Cb&name=Comma").text("messageKey"), "validationError");
    create("vb1", "voiceBridge=71111");
    EXPECT_EQ(create("vb2", "voiceBridge=71111").text("messageKey"), "nonUniqueVoiceBridge");
    EXPECT_EQ(create("br1", "isBreakout=true").text("messageKey"), "parentMeetingIdMissing");
    EXPECT_EQ(server_->meetings().size(), 1u);
}

TEST_F(FakeBbb, CreateRecordsAnXmlModulesBody) {
    const std::string body =
        "<?xml version='1.0' encoding='UTF-8'?><modules><module name=\"presentation\">"
        "<document url=\"https://example.org/a.pdf\" filename=\"a.pdf\" downloadable=\"true\" current=\"true\"/>"
        "<document name=\"b.pdf\">QUJD</document></module>"
        "<module name=\"clientSettingsOverride\"><![CDATA[{\"public\":{}}]]></module></modules>";
    const HttpResult result =
        httpRequest("POST", server_->signedUrl("create", "meetingID=xml1&name=Xml+Body"), body, "application/xml");
    EXPECT_EQ(XmlDoc(result.body).text("returncode"), "SUCCESS");
    const auto m = server_->meeting("xml1");
    ASSERT_TRUE(m);
    ASSERT_EQ(m->presentations.size(), 2u);
    EXPECT_EQ(m->presentations[0].url, "https://example.org/a.pdf");
    EXPECT_EQ(m->presentations[0].filename, "a.pdf");
    EXPECT_EQ(m->presentations[0].downloadable, "true");
    EXPECT_EQ(m->presentations[1].name, "b.pdf");
    EXPECT_EQ(m->presentations[1].content, "QUJD");
    EXPECT_EQ(m->clientSettingsOverride, "{\"public\":{}}");
    EXPECT_EQ(m->xmlBodies, std::vector<std::string>{body});
}

TEST_F(FakeBbb, BreakoutRoomsAreLinkedToTheirParent) {
    const XmlDoc parent = create("parent1");
    create("parent1-br1",
           "isBreakout=true&sequence=1&freeJoin=true&parentMeetingID=" + formEncode(parent.text("internalMeetingID")));
    const XmlDoc child = api("getMeetingInfo", "meetingID=parent1-br1");
    EXPECT_EQ(child.text("isBreakout"), "true");
    EXPECT_EQ(child.text("parentMeetingID"), parent.text("internalMeetingID"));
    EXPECT_EQ(child.text("sequence"), "1");
    EXPECT_EQ(child.text("freeJoin"), "true");
    const XmlDoc info = api("getMeetingInfo", "meetingID=parent1");
    EXPECT_EQ(info.text("breakoutRooms/breakout"), child.text("internalMeetingID"));
    // Ending the parent ends its breakouts.
    api("end", "meetingID=parent1");
    EXPECT_TRUE(server_->meetings().empty());
}

TEST_F(FakeBbb, ValuesAreXmlEscaped) {
    const std::string name = "Tom & Jerry <\"quoted\"> it's";
    create("esc1", buildQuery({{"meta_note", "<b>&amp;</b>"}}));
    api("end", "meetingID=esc1");
    api("create", buildQuery({{"meetingID", "esc1"}, {"name", name}, {"meta_note", "<b>&amp;</b>"}}));
    const XmlDoc info = api("getMeetingInfo", "meetingID=esc1");
    EXPECT_EQ(info.text("meetingName"), name);
    EXPECT_EQ(info.text("metadata/note"), "<b>&amp;</b>");
}

// --- join --------------------------------------------------------------------------------

TEST_F(FakeBbb, JoinRedirectsToTheClientWithASessionToken) {
    create("join1");
    const HttpResult result = join("join1", "Alice", "role=VIEWER");
    EXPECT_EQ(result.status, 302);
    const std::string location = result.header("Location");
    const std::string prefix = server_->serverUrl() + "/html5client/join?sessionToken=";
    ASSERT_EQ(location.rfind(prefix, 0), 0u) << location;
    const std::string token = location.substr(prefix.size());
    EXPECT_EQ(token.size(), 16u);
    EXPECT_EQ(server_->attendees("join1").at(0).sessionToken, token);
    EXPECT_EQ(httpGet(location).status, 200);  // the "client" page exists
}

TEST_F(FakeBbb, JoinWithRedirectFalseAnswersXml) {
    const XmlDoc created = create("join2");
    const HttpResult result = join("join2", "Bob", "role=MODERATOR&redirect=false");
    EXPECT_EQ(result.status, 200);
    const XmlDoc doc(result.body);
    EXPECT_EQ(doc.childNames(),
              (std::vector<std::string>{"returncode", "messageKey", "message", "meeting_id", "user_id", "auth_token",
                                        "session_token", "guestStatus", "url"}));
    EXPECT_EQ(doc.text("messageKey"), "successfullyJoined");
    EXPECT_EQ(doc.text("meeting_id"), created.text("internalMeetingID"));
    EXPECT_EQ(doc.text("user_id").rfind("w_", 0), 0u);
    EXPECT_EQ(doc.text("guestStatus"), "ALLOW");
    EXPECT_EQ(doc.text("url"), server_->serverUrl() + "/html5client/join?sessionToken=" + doc.text("session_token"));
}

TEST_F(FakeBbb, JoinRecordsTheAttendeeWithBbbDefaults) {
    create("join3", "attendeePW=ap&moderatorPW=mp");
    join("join3", "Mod", "password=mp&userID=ext-1&userdata-bbb_custom_style=x");
    join("join3", "View", "password=ap");
    join("join3", "RoleWins", "password=mp&role=viewer");
    const auto attendees = server_->attendees("join3");
    ASSERT_EQ(attendees.size(), 3u);
    EXPECT_EQ(attendees[0].fullName, "Mod");
    EXPECT_EQ(attendees[0].role, "MODERATOR");
    EXPECT_EQ(attendees[0].userId, "ext-1");
    EXPECT_TRUE(attendees[0].isPresenter);
    EXPECT_EQ(attendees[0].clientType, "HTML5");
    EXPECT_FALSE(attendees[0].isListeningOnly);
    EXPECT_FALSE(attendees[0].hasJoinedVoice);
    EXPECT_FALSE(attendees[0].hasVideo);
    EXPECT_EQ(attendees[0].customData.at("bbb_custom_style"), "x");
    EXPECT_EQ(attendees[1].role, "VIEWER");
    EXPECT_EQ(attendees[1].userId, attendees[1].internalUserId);
    EXPECT_EQ(attendees[2].role, "VIEWER");

    const XmlDoc info = api("getMeetingInfo", "meetingID=join3");
    EXPECT_EQ(info.text("participantCount"), "3");
    EXPECT_EQ(info.text("moderatorCount"), "1");
    EXPECT_EQ(info.text("hasUserJoined"), "true");
    EXPECT_EQ(info.text("attendees/attendee[0]/userID"), "ext-1");
    EXPECT_EQ(info.text("attendees/attendee[0]/customdata/bbb_custom_style"), "x");
    EXPECT_EQ(info.text("attendees/attendee[1]/fullName"), "View");
}

TEST_F(FakeBbb, JoinErrorsCarryBbbsMessageKeys) {
    const XmlDoc created = create("jerr1", "attendeePW=ap&moderatorPW=mp&maxParticipants=1");
    auto key = [&](const std::string& query) {
        return XmlDoc(get("join", query + "&redirect=false").body).text("messageKey");
    };
    EXPECT_EQ(key("fullName=A&password=ap"), "missingParamMeetingID");
    EXPECT_EQ(key("meetingID=jerr1&password=ap"), "missingParamFullName");
    EXPECT_EQ(key("meetingID=jerr1&fullName=A"), "missingParamPassword");
    EXPECT_EQ(key("meetingID=jerr1&fullName=A&password=wrong"), "invalidPassword");
    EXPECT_EQ(key("meetingID=nosuch&fullName=A&password=ap"), "invalidMeetingIdentifier");
    EXPECT_EQ(key("meetingID=jerr1&fullName=A&password=ap&createTime=1"), "mismatchCreateTimeParam");
    EXPECT_EQ(key("meetingID=jerr1&fullName=A&password=ap&createTime=" + created.text("createTime")),
              "successfullyJoined");
    EXPECT_EQ(key("meetingID=jerr1&fullName=B&password=ap"), "maxParticipantsReached");
    EXPECT_EQ(XmlDoc(get("join", "meetingID=jerr1&fullName=A&role=VIEWER&redirect=false&checksum=bad").body)
                  .text("messageKey"),
              "checksumError");
    api("end", "meetingID=jerr1");
    EXPECT_EQ(key("meetingID=jerr1&fullName=A&password=ap"), "meetingForciblyEnded");
}

TEST_F(FakeBbb, JoinErrorsInBrowserModeRedirectToTheLogoutUrl) {
    create("jerr2", "logoutURL=" + formEncode("https://lms.example/bye?x=1"));
    const HttpResult result = join("jerr2", "A", "password=wrong");
    EXPECT_EQ(result.status, 302);
    const std::string location = result.header("Location");
    EXPECT_EQ(location.rfind("https://lms.example/bye?x=1&errors=", 0), 0u) << location;
    EXPECT_NE(location.find("invalidPassword"), std::string::npos);
    const HttpResult unknown = join("nosuch", "A", "role=VIEWER");
    EXPECT_EQ(unknown.header("Location").rfind(server_->serverUrl() + "/?errors=", 0), 0u);
}

TEST_F(FakeBbb, GuestPolicyIsApplied) {
    create("guest1", "guestPolicy=ALWAYS_DENY");
    EXPECT_EQ(XmlDoc(join("guest1", "G", "role=VIEWER&guest=true&redirect=false").body).text("messageKey"),
              "guestDeniedAccess");
    create("guest2", "guestPolicy=ASK_MODERATOR");
    const XmlDoc waiting(join("guest2", "G", "role=VIEWER&guest=true&redirect=false").body);
    EXPECT_EQ(waiting.text("messageKey"), "guestWait");
    EXPECT_EQ(waiting.text("guestStatus"), "WAIT");
    EXPECT_EQ(server_->meeting("guest2")->participantCount(), 0);
    EXPECT_EQ(server_->connectPendingAttendees("guest2"), 1);
    EXPECT_EQ(server_->meeting("guest2")->participantCount(), 1);
}

TEST_F(FakeBbb, JoinsCountOnlyOnceTheClientConnectsWhenSwitchedOff) {
    FakeBbbOptions o = options();
    o.joins_count_immediately = false;
    FakeBbbServer real(kSecret, o);
    create("late1", "", &real);
    const HttpResult joined = httpGet(real.signedUrl("join", "meetingID=late1&fullName=A&role=VIEWER"));
    ASSERT_EQ(joined.status, 302);
    EXPECT_EQ(api("getMeetingInfo", "meetingID=late1", &real).text("participantCount"), "0");
    EXPECT_EQ(api("isMeetingRunning", "meetingID=late1", &real).text("running"), "false");
    EXPECT_EQ(real.meeting("late1")->pendingAttendees.size(), 1u);
    // The browser follows the redirect: the client connects.
    EXPECT_EQ(httpGet(joined.header("Location")).status, 200);
    EXPECT_EQ(api("getMeetingInfo", "meetingID=late1", &real).text("participantCount"), "1");
    EXPECT_EQ(api("isMeetingRunning", "meetingID=late1", &real).text("running"), "true");

    // The HTML5 client's enter call (session token, no checksum) connects a user as well.
    const XmlDoc second(httpGet(real.signedUrl("join", "meetingID=late1&fullName=B&role=VIEWER&redirect=false")).body);
    const HttpResult entered = httpGet(real.baseUrl() + "enter?sessionToken=" + second.text("session_token"));
    EXPECT_NE(entered.body.find("\"returncode\":\"SUCCESS\""), std::string::npos) << entered.body;
    EXPECT_EQ(real.meeting("late1")->participantCount(), 2);
    EXPECT_NE(httpGet(real.baseUrl() + "enter?sessionToken=nosuch").body.find("FAILED"), std::string::npos);
}

TEST_F(FakeBbb, ResetForgetsEverythingLikeARestartedServer) {
    create("reset1", buildQuery({{"meta_endCallbackUrl", "http://127.0.0.1:1/never"}}));
    server_->addRecording({});
    server_->reset();
    EXPECT_TRUE(server_->meetings().empty());
    EXPECT_TRUE(server_->recordings().empty());
    EXPECT_EQ(api("getMeetings", "").text("messageKey"), "noMeetings");
    EXPECT_FALSE(server_->waitForCallbacks(1, 50ms));  // no end callbacks on a restart
}

// --- counts, running ---------------------------------------------------------------------

TEST_F(FakeBbb, AttendeeCountsFollowInjectedLoad) {
    create("load1");
    create("load2");
    server_->setAttendees("load1", 10, 3, 5, 2, 1);
    const XmlDoc info = api("getMeetingInfo", "meetingID=load1");
    EXPECT_EQ(info.text("participantCount"), "10");
    EXPECT_EQ(info.text("listenerCount"), "3");
    EXPECT_EQ(info.text("voiceParticipantCount"), "5");
    EXPECT_EQ(info.text("videoCount"), "2");
    EXPECT_EQ(info.text("moderatorCount"), "1");
    EXPECT_EQ(info.text("running"), "true");
    EXPECT_EQ(info.childNames("attendees").size(), 10u);

    const XmlDoc all = api("getMeetings", "");
    EXPECT_EQ(all.text("meetings/meeting[0]/meetingID"), "load1");
    EXPECT_EQ(all.text("meetings/meeting[0]/participantCount"), "10");
    EXPECT_EQ(all.text("meetings/meeting[0]/videoCount"), "2");
    EXPECT_EQ(all.text("meetings/meeting[1]/participantCount"), "0");

    server_->setAttendees("load1", 0);
    EXPECT_EQ(api("getMeetingInfo", "meetingID=load1").text("participantCount"), "0");
    EXPECT_THROW(server_->setAttendees("nosuch", 1), std::invalid_argument);
    EXPECT_THROW(server_->setAttendees("load1", 1, 2), std::invalid_argument);
}

TEST_F(FakeBbb, IsMeetingRunningTransitions) {
    auto running = [&] { return api("isMeetingRunning", "meetingID=run1").text("running"); };
    EXPECT_EQ(running(), "false");  // unknown: SUCCESS, not an error
    EXPECT_EQ(api("isMeetingRunning", "meetingID=run1").text("returncode"), "SUCCESS");
    create("run1");
    EXPECT_EQ(running(), "false");
    join("run1", "A", "role=VIEWER&userID=u1");
    EXPECT_EQ(running(), "true");
    EXPECT_TRUE(server_->removeAttendee("run1", "u1"));
    EXPECT_EQ(running(), "false");
    join("run1", "A", "role=VIEWER");
    api("end", "meetingID=run1");
    EXPECT_EQ(running(), "false");
}

TEST_F(FakeBbb, GetMeetingInfoIsTheFullDocumentInBbbOrder) {
    create("info1", "meta_a=1");
    join("info1", "A", "role=MODERATOR");
    const XmlDoc doc = api("getMeetingInfo", "meetingID=info1");
    EXPECT_EQ(doc.childNames(),
              (std::vector<std::string>{
                  "returncode", "meetingName", "meetingID",        "internalMeetingID", "createTime",
                  "createDate", "voiceBridge", "dialNumber",       "attendeePW",        "moderatorPW",
                  "running",    "duration",    "hasUserJoined",    "recording",         "hasBeenForciblyEnded",
                  "startTime",  "endTime",     "participantCount", "listenerCount",     "voiceParticipantCount",
                  "videoCount", "maxUsers",    "moderatorCount",   "attendees",         "metadata",
                  "isBreakout"}));
    EXPECT_EQ(doc.childNames("attendees/attendee"),
              (std::vector<std::string>{"userID", "fullName", "role", "isPresenter", "isListeningOnly",
                                        "hasJoinedVoice", "hasVideo", "clientType"}));
    EXPECT_EQ(doc.text("startTime"), std::to_string(kJan2024Ms));
    EXPECT_EQ(doc.text("endTime"), "0");
    EXPECT_EQ(api("getMeetingInfo", "meetingID=nosuch").text("messageKey"), "notFound");
}

TEST_F(FakeBbb, GetMeetingsWithoutMeetingsAnswersNoMeetings) {
    const HttpResult result = get("getMeetings", "");
    EXPECT_NE(result.body.find("<meetings/>"), std::string::npos) << result.body;
    const XmlDoc doc(result.body);
    EXPECT_EQ(doc.text("returncode"), "SUCCESS");
    EXPECT_EQ(doc.text("messageKey"), "noMeetings");
    EXPECT_EQ(doc.text("message"), "no meetings were found on this server");
}

// --- end and its callbacks -----------------------------------------------------------------

TEST_F(FakeBbb, EndRemovesTheMeetingAndFiresItsCallbacks) {
    CallbackListener listener;
    create("cb-1", buildQuery({{"meta_endCallbackUrl", listener.url("/ended?tenant=t1")},
                               {"meetingEndedURL", listener.url("/lb/ended?id=cb-1")},
                               {"record", "true"}}));
    server_->setRecordingMarks("cb-1", true);
    const XmlDoc ended = api("end", "meetingID=cb-1");
    EXPECT_EQ(ended.text("returncode"), "SUCCESS");
    EXPECT_EQ(ended.text("messageKey"), "sentEndMeetingRequest");
    EXPECT_EQ(api("getMeetingInfo", "meetingID=cb-1").text("messageKey"), "notFound");

    ASSERT_TRUE(listener.waitFor(2, 5s));
    auto targets = listener.targets();
    std::sort(targets.begin(), targets.end());
    EXPECT_EQ(targets, (std::vector<std::string>{"GET /ended?tenant=t1&recordingmarks=true&meetingID=cb-1",
                                                 "GET /lb/ended?id=cb-1"}));
    ASSERT_TRUE(server_->waitForCallbacks(2, 5s));
    for (const auto& record : server_->callbacks()) EXPECT_EQ(record.status, 200) << record.url << record.error;
}

TEST_F(FakeBbb, EndMeetingFromTheControlApiFiresCallbacksToo) {
    CallbackListener listener;
    create("cb-2", buildQuery({{"meta_endCallbackUrl", listener.url("/e")}}));
    EXPECT_TRUE(server_->endMeeting("cb-2"));
    EXPECT_FALSE(server_->endMeeting("cb-2"));
    ASSERT_TRUE(listener.waitFor(1, 5s));
    EXPECT_EQ(listener.targets().at(0), "GET /e?recordingmarks=false&meetingID=cb-2");
}

TEST_F(FakeBbb, AnUnreachableCallbackIsRecordedNotRetried) {
    create("cb-3", buildQuery({{"meta_endCallbackUrl", "http://127.0.0.1:1/nothing"}}));
    api("end", "meetingID=cb-3");
    ASSERT_TRUE(server_->waitForCallbacks(1, 5s));
    EXPECT_EQ(server_->callbacks().at(0).status, 0);
    EXPECT_FALSE(server_->callbacks().at(0).error.empty());
}

// --- other calls ---------------------------------------------------------------------------

TEST_F(FakeBbb, EveryMissingParameterHasItsMessageKey) {
    create("miss1", "attendeePW=ap&moderatorPW=mp");
    struct Case {
        const char* call;
        const char* query;
        const char* key;
    };
    const Case cases[] = {
        {"create", "name=No+Id", "missingParamMeetingID"},
        {"join", "fullName=A&password=ap&redirect=false", "missingParamMeetingID"},
        {"join", "meetingID=miss1&password=ap&redirect=false", "missingParamFullName"},
        {"join", "meetingID=miss1&fullName=A&redirect=false", "missingParamPassword"},
        {"join", "meetingID=miss1&fullName=A&password=x&redirect=false", "invalidPassword"},
        {"end", "", "missingParamMeetingID"},
        {"end", "meetingID=nosuch", "notFound"},
        {"isMeetingRunning", "", "missingParamMeetingID"},
        {"getMeetingInfo", "", "missingParamMeetingID"},
        {"getMeetingInfo", "meetingID=nosuch", "notFound"},
        {"sendChatMessage", "message=hi", "missingParamMeetingID"},
        {"sendChatMessage", "meetingID=nosuch&message=hi", "notFound"},
        {"publishRecordings", "publish=true", "missingParamRecordID"},
        {"publishRecordings", "recordID=r1", "missingParamPublish"},
        {"publishRecordings", "recordID=r1&publish=true", "notFound"},
        {"deleteRecordings", "", "missingParamRecordID"},
        {"updateRecordings", "", "missingParamRecordID"},
    };
    for (const Case& c : cases) {
        const XmlDoc doc = api(c.call, c.query);
        EXPECT_EQ(doc.text("returncode"), "FAILED") << c.call << "?" << c.query;
        EXPECT_EQ(doc.text("messageKey"), c.key) << c.call << "?" << c.query;
        EXPECT_FALSE(doc.text("message").empty()) << c.call << "?" << c.query;
    }
    const HttpResult insert =
        httpRequest("POST", server_->signedUrl("insertDocument", ""), "<modules/>", "application/xml");
    EXPECT_EQ(XmlDoc(insert.body).text("messageKey"), "missingParamMeetingID");
}

TEST_F(FakeBbb, InsertDocumentNeedsAnExistingMeetingAndRecordsTheBody) {
    const std::string body =
        "<modules><module name=\"presentation\"><document url=\"https://example.org/c.pdf\" filename=\"c.pdf\"/>"
        "</module></modules>";
    const HttpResult unknown =
        httpRequest("POST", server_->signedUrl("insertDocument", "meetingID=nosuch"), body, "application/xml");
    const XmlDoc failed(unknown.body);
    EXPECT_EQ(failed.text("returncode"), "FAILED");
    EXPECT_FALSE(failed.has("messageKey"));
    EXPECT_EQ(failed.text("message"), "Meeting with id [nosuch] not found.");

    create("ins1");
    const HttpResult ok =
        httpRequest("POST", server_->signedUrl("insertDocument", "meetingID=ins1"), body, "application/xml");
    const XmlDoc doc(ok.body);
    EXPECT_EQ(doc.childNames(), (std::vector<std::string>{"returncode", "message"}));
    EXPECT_EQ(doc.text("message"), "Presentation is being uploaded");
    EXPECT_EQ(server_->meeting("ins1")->presentations.at(0).url, "https://example.org/c.pdf");
}

TEST_F(FakeBbb, SendChatMessageValidatesAndRecords) {
    create("chat1");
    EXPECT_EQ(api("sendChatMessage", "meetingID=chat1").text("messageKey"), "validationError");
    EXPECT_EQ(api("sendChatMessage", "meetingID=chat1&message=" + std::string(501, 'x')).text("messageKey"),
              "validationError");
    const XmlDoc doc = api("sendChatMessage", "meetingID=chat1&message=Hello+all");
    EXPECT_EQ(doc.text("returncode"), "SUCCESS");
    EXPECT_EQ(doc.childNames(), (std::vector<std::string>{"returncode", "messageKey", "message"}));
    const auto chat = server_->meeting("chat1")->chatMessages;
    ASSERT_EQ(chat.size(), 1u);
    EXPECT_EQ(chat[0].userName, "System");
    EXPECT_EQ(chat[0].message, "Hello all");
}

TEST_F(FakeBbb, GetRecordingsIsEmptyUntilRecordingsAreInjected) {
    const HttpResult none = get("getRecordings", "");
    EXPECT_NE(none.body.find("<recordings/>"), std::string::npos);
    EXPECT_EQ(XmlDoc(none.body).text("messageKey"), "noRecordings");

    create("rec1");
    RecordingInfo r;
    r.meetingId = "rec1";
    r.participants = 3;
    r.metadata = {{"tenant", "t1"}};
    r.formats.push_back(
        {"presentation", "https://bbb/playback/presentation/2.3/x", 10, 5, {{"https://bbb/t.png", 176, 136, "Slide"}}});
    server_->addRecording(r);
    RecordingInfo other;
    other.recordId = "other-record";
    other.meetingId = "elsewhere";
    other.state = "unpublished";
    other.published = false;
    server_->addRecording(other);

    const XmlDoc all = api("getRecordings", "");
    EXPECT_EQ(all.childNames("recordings").size(), 2u);
    const XmlDoc mine = api("getRecordings", "meetingID=rec1");
    EXPECT_EQ(mine.childNames("recordings").size(), 1u);
    EXPECT_EQ(mine.childNames("recordings/recording"),
              (std::vector<std::string>{"recordID", "meetingID", "internalMeetingID", "name", "isBreakout", "published",
                                        "state", "startTime", "endTime", "participants", "metadata", "playback"}));
    EXPECT_EQ(mine.text("recordings/recording/recordID"), server_->recordings().at(0).internalMeetingId);
    EXPECT_EQ(mine.text("recordings/recording/name"), "Meeting rec1");
    EXPECT_EQ(mine.text("recordings/recording/playback/format/preview/images/image"), "https://bbb/t.png");
    EXPECT_EQ(api("getRecordings", "recordID=other").text("recordings/recording/recordID"), "other-record");
    EXPECT_EQ(api("getRecordings", "state=published").childNames("recordings").size(), 1u);
    EXPECT_EQ(api("getRecordings", "meta_tenant=t1").childNames("recordings").size(), 1u);
    EXPECT_EQ(api("getRecordings", "meta_tenant=t2").text("messageKey"), "noRecordings");
}

TEST_F(FakeBbb, RecordingsCanBePublishedUpdatedAndDeleted) {
    RecordingInfo r;
    r.recordId = "rec-a";
    r.meetingId = "m";
    server_->addRecording(r);
    EXPECT_EQ(api("publishRecordings", "recordID=rec-a&publish=false").text("published"), "false");
    EXPECT_EQ(server_->recordings().at(0).state, "unpublished");
    EXPECT_EQ(api("updateRecordings", "recordID=rec-a&meta_course=c1").text("updated"), "true");
    EXPECT_EQ(server_->recordings().at(0).metadata.at("course"), "c1");
    EXPECT_EQ(api("deleteRecordings", "recordID=rec-a").text("deleted"), "true");
    EXPECT_EQ(server_->recordings().at(0).state, "deleted");
    EXPECT_EQ(api("getRecordings", "").text("messageKey"), "noRecordings");
}

// --- observation and concurrency ------------------------------------------------------------

TEST_F(FakeBbb, RecordsCountsRawQueriesAndHeaders) {
    get("getMeetings", "");
    httpGet(server_->baseUrl() + "isMeetingRunning?" + signQuery("isMeetingRunning", "meetingID=h1", kSecret),
            {{"Cookie", "JSESSIONID=abc"}, {"Accept-Encoding", "gzip"}, {"X-Custom", "1"}});
    EXPECT_EQ(server_->callCount("getMeetings"), 1u);
    EXPECT_EQ(server_->callCount("isMeetingRunning"), 1u);
    EXPECT_EQ(server_->callCount("create"), 0u);
    EXPECT_EQ(server_->totalCalls(), 2u);
    const auto last = server_->lastRequest();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->call, "isMeetingRunning");
    EXPECT_EQ(last->method, "GET");
    EXPECT_EQ(last->rawQuery, signQuery("isMeetingRunning", "meetingID=h1", kSecret));
    EXPECT_EQ(last->header("cookie"), "JSESSIONID=abc");
    EXPECT_EQ(last->header("ACCEPT-ENCODING"), "gzip");
    EXPECT_FALSE(last->hasHeader("Authorization"));
    EXPECT_EQ(server_->lastRequest("getMeetings")->rawQuery, signQuery("getMeetings", "", kSecret));
    EXPECT_EQ(server_->requests().size(), 2u);
    server_->resetCounters();
    EXPECT_EQ(server_->totalCalls(), 0u);
    EXPECT_FALSE(server_->lastRequest());
}

TEST_F(FakeBbb, WaitForCallIsBounded) {
    EXPECT_FALSE(server_->waitForCall("getMeetings", 50ms));
    std::thread caller([&] {
        std::this_thread::sleep_for(50ms);
        get("getMeetings", "");
    });
    EXPECT_TRUE(server_->waitForCall("getMeetings", 5s));
    caller.join();
    EXPECT_FALSE(server_->waitForCall("getMeetings", 20ms, 2));
}

TEST_F(FakeBbb, ServesConcurrentClientsConsistently) {
    constexpr int kThreads = 4;
    constexpr int kPerThread = 10;
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const std::string id = "c" + std::to_string(t) + "-" + std::to_string(i);
                const HttpResult created = get("create", buildQuery({{"meetingID", id}, {"name", "Concurrent " + id}}));
                const HttpResult joined =
                    get("join", buildQuery({{"meetingID", id}, {"fullName", "U"}, {"role", "VIEWER"}}));
                if (created.status != 200 || joined.status != 302) ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(server_->meetings().size(), static_cast<std::size_t>(kThreads * kPerThread));
    const XmlDoc all = api("getMeetings", "");
    EXPECT_EQ(all.childNames("meetings").size(), static_cast<std::size_t>(kThreads * kPerThread));
    EXPECT_EQ(server_->callCount("join"), static_cast<std::size_t>(kThreads * kPerThread));
    for (const auto& m : server_->meetings()) EXPECT_EQ(m.participantCount(), 1) << m.meetingId;
}

}  // namespace
}  // namespace b3s::test::bbb
