#include "bbb/bbb_response.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

TEST(BbbResponseTest, FailureHasBbbsElementOrderAndNoDeclaration) {
    EXPECT_EQ(renderFailure(ApiError::checksumError()),
              "<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey>"
              "<message>Checksums do not match</message></response>");
    EXPECT_EQ(renderFailure(ApiError::unsupportedRequest()),
              "<response><returncode>FAILED</returncode><messageKey>unsupportedRequest</messageKey>"
              "<message>This request is not supported.</message></response>");
}

TEST(BbbResponseTest, EveryFactorySpellsItsKey) {
    struct Case {
        ApiError error;
        std::string_view key;
        std::string_view message;  // empty: not pinned
    };
    const std::vector<Case> cases = {
        {ApiError::checksumError(), "checksumError", "Checksums do not match"},
        {ApiError::validationError("bad"), "validationError", "bad"},
        {ApiError::unsupportedRequest(), "unsupportedRequest", "This request is not supported."},
        {ApiError::unsupportedContentType(), "unsupportedContentType", ""},
        {ApiError::missingParamMeetingID(), "missingParamMeetingID", "You must provide a meeting ID"},
        {ApiError::missingParamFullName(), "missingParamFullName", ""},
        {ApiError::missingParamPassword(), "missingParamPassword", ""},
        {ApiError::missingParamRecordID(), "missingParamRecordID", "You must specify a recordID."},
        {ApiError::missingParamPublish(), "missingParamPublish", ""},
        {ApiError::notFound(), "notFound", "A meeting with that ID does not exist"},
        {ApiError::invalidMeetingIdentifier(), "invalidMeetingIdentifier", ""},
        {ApiError::idNotUnique(), "idNotUnique", ""},
        {ApiError::attendeesLimitReached(), "maxParticipantsReached",
         "The maximum number of participants allowed for this frontend has been reached."},
        {ApiError::noServerAvailable(), "internalError", "Could not find any available servers."},
        {ApiError::serverTagUnavailable("sip;gpu!"), "serverTagUnavailable",
         "Could not find any available servers with the tag(s) sip;gpu!."},
        {ApiError::backendUnreachable(), "internalError", "Unable to access server."},
        {ApiError::backendAnswerUnreadable(), "internalError", ""},
        {ApiError::missingParameter("recordID"), "missingParameter", "Missing parameter recordID."},
        {ApiError::recordingsNotFound(), "notFound", "We could not find recordings"},
        {ApiError::invalidRecordingIdentifier(), "invalidRecordingIdentifier", "The recording is not known to us."},
        {ApiError::noRecordings(), "noRecordings", "There are no recordings for the meeting(s)."},
        {ApiError::noMeetings(), "noMeetings", "no meetings were found on this server"},
        {ApiError::sentEndMeetingRequest(), "sentEndMeetingRequest", ""},
        {ApiError::serverUnavailable(), "serverUnavailable", ""},
        {ApiError::internalError(), "internalError", ""},
        {ApiError::internalError("Unable to access server."), "internalError", "Unable to access server."},
        {ApiError::notImplemented(), "notImplemented", "The api endpoint is not yet implemented"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.key);
        EXPECT_EQ(c.error.messageKey, c.key);
        EXPECT_FALSE(c.error.message.empty());
        if (!c.message.empty()) {
            EXPECT_EQ(c.error.message, c.message);
        }
        const std::string body = renderFailure(c.error);
        EXPECT_NE(body.find("<messageKey>" + std::string(c.key) + "</messageKey>"), std::string::npos);
        EXPECT_LT(body.find("<messageKey>"), body.find("<message>"));
    }
}

TEST(BbbResponseTest, QueryErrorsBecomeValidationErrors) {
    for (auto error :
         {QueryError::MalformedPercentEncoding, QueryError::InvalidUtf8, QueryError::NulByte, QueryError::TooLong,
          QueryError::TooManyParameters, QueryError::RepeatedParameter, QueryError::None}) {
        SCOPED_TRACE(toString(error));
        EXPECT_EQ(ApiError::invalidQuery(error, "meetingID").messageKey, "validationError");
    }
    EXPECT_EQ(ApiError::invalidQuery(QueryError::RepeatedParameter, "meetingID").message,
              "The parameter meetingID must not be repeated.");
}

TEST(BbbResponseTest, MessagesAreEscaped) {
    EXPECT_EQ(renderFailure(ApiError::validationError("name <b> & \"x\"")),
              "<response><returncode>FAILED</returncode><messageKey>validationError</messageKey>"
              "<message>name &lt;b&gt; &amp; &quot;x&quot;</message></response>");
}

TEST(BbbResponseTest, JsonFailureForTextTrackCalls) {
    EXPECT_EQ(renderFailureJson(ApiError::noRecordings()),
              R"({"response":{"returncode":"FAILED","messageKey":"noRecordings",)"
              R"("message":"There are no recordings for the meeting(s)."}})");
    EXPECT_EQ(renderFailureJson(ApiError::validationError("a\"b\n")),
              R"({"response":{"returncode":"FAILED","messageKey":"validationError","message":"a\"b\n"}})");
}

TEST(BbbResponseTest, IndexAnswersVersion) {
    EXPECT_EQ(renderIndex(), "<response><returncode>SUCCESS</returncode><version>2.0</version></response>");
    EXPECT_EQ(renderIndex("2.0", "3.0"),
              "<response><returncode>SUCCESS</returncode><version>2.0</version><apiVersion>3.0</apiVersion>"
              "</response>");
}

TEST(BbbResponseTest, SuccessBuilderTakesArbitraryChildren) {
    SuccessResponse running;
    running.element("running", "false");
    EXPECT_EQ(running.finish(), "<response><returncode>SUCCESS</returncode><running>false</running></response>");

    SuccessResponse none;
    none.xml().startElement("meetings").endElement();
    none.messageKey(ApiError::noMeetings());
    EXPECT_TRUE(none.ok());
    EXPECT_EQ(none.finish(),
              "<response><returncode>SUCCESS</returncode><meetings/><messageKey>noMeetings</messageKey>"
              "<message>no meetings were found on this server</message></response>");

    SuccessResponse bad;
    bad.element("meta name", "x");
    EXPECT_FALSE(bad.ok());
}

TEST(BbbResponseTest, ContentTypeConstants) {
    EXPECT_EQ(kXmlContentType, "text/xml;charset=UTF-8");
    EXPECT_EQ(kJsonContentType, "application/json;charset=UTF-8");
}

}  // namespace
}  // namespace b3s::core::bbb
