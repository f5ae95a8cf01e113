#include "bbb/bbb_response.hpp"

#include "bbb/meeting_id_codec.hpp"

namespace b3s::core::bbb {

namespace {

ApiError make(std::string_view key, std::string_view message) {
    return ApiError{std::string(key), std::string(message)};
}

}  // namespace

ApiError ApiError::checksumError() {
    return make("checksumError", "Checksums do not match");
}

ApiError ApiError::validationError(std::string_view message) {
    return make("validationError", message);
}

ApiError ApiError::invalidQuery(QueryError error, std::string_view name) {
    switch (error) {
        case QueryError::MalformedPercentEncoding:
            return validationError("The request contains a malformed percent-encoding.");
        case QueryError::InvalidUtf8: return validationError("A parameter is not valid UTF-8.");
        case QueryError::NulByte: return validationError("A parameter contains a NUL character.");
        case QueryError::TooLong: return validationError("The request is too long.");
        case QueryError::TooManyParameters: return validationError("The request has too many parameters.");
        case QueryError::RepeatedParameter: {
            std::string message = "The parameter ";
            message.append(name).append(" must not be repeated.");
            return validationError(message);
        }
        case QueryError::None: break;
    }
    return validationError("The request is not valid.");
}

ApiError ApiError::unsupportedRequest() {
    return make("unsupportedRequest", "This request is not supported.");
}

ApiError ApiError::unsupportedContentType() {
    return make("unsupportedContentType", "POST request Content-Type is missing or unsupported");
}

ApiError ApiError::formBodyRefused() {
    return make("unsupportedContentType",
                "Parameters in a form-encoded body are not accepted: the checksum does not cover them. Send them "
                "in the signed URL query.");
}

ApiError ApiError::missingParamMeetingID() {
    return make("missingParamMeetingID", "You must provide a meeting ID");
}

ApiError ApiError::missingParamFullName() {
    return make("missingParamFullName", "You must specify a name for the attendee who will be joining the meeting.");
}

ApiError ApiError::missingParamPassword() {
    return make("missingParamPassword", "You must provide either a role or a password.");
}

ApiError ApiError::missingParamRecordID() {
    return make("missingParamRecordID", "You must specify a recordID.");
}

ApiError ApiError::missingParamPublish() {
    return make("missingParamPublish", "You must specify a publish value true or false.");
}

ApiError ApiError::notFound() {
    return make("notFound", "A meeting with that ID does not exist");
}

ApiError ApiError::invalidMeetingIdentifier() {
    return make("invalidMeetingIdentifier", "The meeting ID that you supplied did not match any existing meetings");
}

ApiError ApiError::idNotUnique() {
    return make("idNotUnique", "A meeting already exists with that meeting ID. Please use a different meeting ID.");
}

ApiError ApiError::invalidCallbackUrl(std::string_view name) {
    std::string message = "The callback URL in ";
    message.append(name).append(" is not an absolute http or https URL.");
    return make("invalidCallbackUrl", message);
}

ApiError ApiError::rateLimitExceeded() {
    return make("rateLimitExceeded", "This frontend makes more calls than it may; try again in a moment.");
}

ApiError ApiError::meetingsLimitReached() {
    return make("meetingsLimitReached",
                "The maximum number of meetings running at once for this frontend has been reached.");
}

ApiError ApiError::attendeesLimitReached() {
    return make("maxParticipantsReached",
                "The maximum number of participants allowed for this frontend has been reached.");
}

ApiError ApiError::recordingsNotFound() {
    return make("notFound", "We could not find recordings");
}

ApiError ApiError::invalidRecordingIdentifier() {
    return make("invalidRecordingIdentifier", "The recording is not known to us.");
}

ApiError ApiError::noRecordings() {
    return make("noRecordings", "There are no recordings for the meeting(s).");
}

ApiError ApiError::noMeetings() {
    return make("noMeetings", "no meetings were found on this server");
}

ApiError ApiError::sentEndMeetingRequest() {
    return make("sentEndMeetingRequest",
                "A request to end the meeting was sent. Please wait a few seconds, and then use the getMeetingInfo "
                "or isMeetingRunning API calls to verify that it was ended.");
}

ApiError ApiError::serverUnavailable() {
    return make("serverUnavailable", "No BigBlueButton server is available to handle this request.");
}

ApiError ApiError::noServerAvailable() {
    return make("internalError", "Could not find any available servers.");
}

ApiError ApiError::serverTagUnavailable(std::string_view tags) {
    std::string message = "Could not find any available servers with the tag(s) ";
    message.append(tags).append(".");
    return make("serverTagUnavailable", message);
}

ApiError ApiError::backendUnreachable() {
    return make("internalError", "Unable to access server.");
}

ApiError ApiError::backendAnswerUnreadable() {
    return make("internalError", "The server's answer could not be read.");
}

ApiError ApiError::missingParameter(std::string_view name) {
    std::string message = "Missing parameter ";
    message.append(name).append(".");
    return make("missingParameter", message);
}

ApiError ApiError::internalError(std::string_view message) {
    return make("internalError", message);
}

ApiError ApiError::notImplemented() {
    return make("notImplemented", "The api endpoint is not yet implemented");
}

std::string renderFailure(const ApiError& error) {
    XmlWriter xml(96 + error.messageKey.size() + error.message.size());
    xml.startElement("response");
    xml.element("returncode", "FAILED");
    xml.element("messageKey", error.messageKey);
    xml.element("message", error.message);
    return xml.finish();
}

std::string renderFailureJson(const ApiError& error) {
    // Go-style escaping is valid JSON and keeps one string escaper in this module.
    std::string out;
    out.reserve(72 + error.messageKey.size() + error.message.size());
    out.append(R"({"response":{"returncode":"FAILED","messageKey":)");
    appendGoJsonString(out, error.messageKey);
    out.append(R"(,"message":)");
    appendGoJsonString(out, error.message);
    out.append("}}");
    return out;
}

std::string renderIndex(std::string_view version, std::string_view apiVersion) {
    SuccessResponse response;
    response.element("version", version);
    if (!apiVersion.empty()) response.element("apiVersion", apiVersion);
    return response.finish();
}

SuccessResponse::SuccessResponse() : writer_(256) {
    writer_.startElement("response");
    writer_.element("returncode", "SUCCESS");
}

SuccessResponse& SuccessResponse::element(std::string_view name, std::string_view text) {
    writer_.element(name, text);
    return *this;
}

SuccessResponse& SuccessResponse::messageKey(const ApiError& note) {
    writer_.element("messageKey", note.messageKey);
    writer_.element("message", note.message);
    return *this;
}

std::string SuccessResponse::finish() {
    return writer_.finish();
}

}  // namespace b3s::core::bbb
