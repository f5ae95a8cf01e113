#include "fake_bbb/bbb_api.hpp"

#include "fake_bbb/xml_writer.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Node.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/SAX/XMLReader.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <sstream>
#include <stdexcept>

namespace b3s::test::bbb {

namespace {

constexpr std::string_view kMissingMeetingId = "You must provide a meeting ID";
constexpr std::string_view kNotFound = "A meeting with that ID does not exist";
constexpr std::string_view kNoRecordings = "There are no recordings for the meeting(s).";

std::string trim(std::string_view value) {
    const auto first = value.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = value.find_last_not_of(" \t\r\n");
    return std::string(value.substr(first, last - first + 1));
}

char toLower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
char toUpper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string lowerCase(std::string_view value) {
    std::string out(value);
    std::transform(out.begin(), out.end(), out.begin(), toLower);
    return out;
}

std::string upperCase(std::string_view value) {
    std::string out(value);
    std::transform(out.begin(), out.end(), out.begin(), toUpper);
    return out;
}

// Java's Boolean.parseBoolean: "true" in any case, everything else is false.
bool parseBool(std::string_view value) {
    return lowerCase(value) == "true";
}

template <typename T>
std::optional<T> parseNumber(std::string_view value) {
    T out{};
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return out;
}

int toInt(std::string_view value, int fallback) {
    return parseNumber<int>(value).value_or(fallback);
}

std::vector<std::string> splitComma(std::string_view value) {
    std::vector<std::string> out;
    while (!value.empty()) {
        const auto comma = value.find(',');
        std::string piece = trim(value.substr(0, comma));
        if (!piece.empty()) out.push_back(std::move(piece));
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return out;
}

// Java's Date.toString() in UTC, which is what BBB prints as createDate.
std::string javaDate(std::int64_t millis) {
    const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[64];
    const std::size_t n = std::strftime(buffer, sizeof buffer, "%a %b %d %H:%M:%S UTC %Y", &tm);
    return std::string(buffer, n);
}

// bbb-web accepts only meta_ names matching meta_[a-zA-Z][a-zA-Z0-9-]* and lower-cases them.
std::optional<std::string> metaName(std::string_view param) {
    constexpr std::string_view kPrefix = "meta_";
    if (!param.starts_with(kPrefix) || param.size() == kPrefix.size()) return std::nullopt;
    const std::string_view name = param.substr(kPrefix.size());
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!alpha(name.front())) return std::nullopt;
    for (char c : name)
        if (!alpha(c) && !(c >= '0' && c <= '9') && c != '-') return std::nullopt;
    return lowerCase(name);
}

ApiAnswer xmlAnswer(std::string body) {
    ApiAnswer answer;
    answer.body = std::move(body);
    answer.headers.emplace_back("Cache-Control", "no-cache");
    return answer;
}

ApiAnswer jsonAnswer(const Poco::JSON::Object::Ptr& response) {
    Poco::JSON::Object root;
    root.set("response", response);
    std::ostringstream out;
    root.stringify(out);
    ApiAnswer answer;
    answer.contentType = "application/json;charset=UTF-8";
    answer.body = out.str();
    answer.headers.emplace_back("Cache-Control", "no-cache");
    return answer;
}

ApiAnswer redirectTo(std::string location) {
    ApiAnswer answer;
    answer.status = 302;
    answer.contentType = "text/html;charset=UTF-8";
    answer.headers.emplace_back("Location", std::move(location));
    answer.headers.emplace_back("Cache-Control", "no-cache");
    return answer;
}

std::string withParam(const std::string& url, std::string_view param) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + std::string(param);
}

bool isFormBody(std::string_view contentType) {
    return lowerCase(contentType).starts_with("application/x-www-form-urlencoded");
}

std::string sha1Hex(std::string_view data) {
    return ChecksumVerifier::digestHex(ChecksumAlgorithm::sha1, data);
}

}  // namespace

int MeetingInfo::listenerCount() const {
    return static_cast<int>(
        std::count_if(attendees.begin(), attendees.end(), [](auto& a) { return a.isListeningOnly; }));
}
int MeetingInfo::voiceParticipantCount() const {
    return static_cast<int>(
        std::count_if(attendees.begin(), attendees.end(), [](auto& a) { return a.hasJoinedVoice; }));
}
int MeetingInfo::videoCount() const {
    return static_cast<int>(std::count_if(attendees.begin(), attendees.end(), [](auto& a) { return a.hasVideo; }));
}
int MeetingInfo::moderatorCount() const {
    return static_cast<int>(
        std::count_if(attendees.begin(), attendees.end(), [](auto& a) { return a.role == "MODERATOR"; }));
}

BbbApi::BbbApi(std::string secret, const FakeBbbOptions& options, std::string serverUrl)
    : secret_(std::move(secret)),
      options_(options),
      serverUrl_(std::move(serverUrl)),
      verifier_(secret_, options.supported_algorithms, options.accept_sorted_params_checksum),
      rng_(options.seed ? *options.seed : std::random_device{}()) {}

const std::map<std::string, BbbApi::Route, std::less<>>& BbbApi::routes() {
    // Methods per call follow bbb-web's UrlMappings (bbb-api.md §2.1).
    static const std::map<std::string, Route, std::less<>> kRoutes = {
        {"create", {&BbbApi::create, true, true, true}},
        {"join", {&BbbApi::join, true, false, true}},
        {"end", {&BbbApi::end, true, true, true}},
        {"isMeetingRunning", {&BbbApi::isMeetingRunning, true, true, true}},
        {"getMeetingInfo", {&BbbApi::getMeetingInfo, true, true, true}},
        {"getMeetings", {&BbbApi::getMeetings, true, true, true}},
        {"insertDocument", {&BbbApi::insertDocument, false, true, true}},
        {"sendChatMessage", {&BbbApi::sendChatMessage, true, false, true}},
        {"getRecordings", {&BbbApi::getRecordings, true, true, true}},
        {"publishRecordings", {&BbbApi::publishRecordings, true, false, true}},
        {"deleteRecordings", {&BbbApi::deleteRecordings, true, false, true}},
        {"updateRecordings", {&BbbApi::updateRecordings, true, true, true}},
        {"getRecordingTextTracks", {&BbbApi::getRecordingTextTracks, true, true, true}},
        // Session-token endpoint of the HTML5 client: no checksum.
        {"enter", {&BbbApi::enter, true, true, false}},
    };
    return kRoutes;
}

ApiAnswer BbbApi::failed(std::string_view messageKey, std::string_view message) {
    XmlWriter w;
    w.open("response").text("returncode", "FAILED").text("messageKey", messageKey).text("message", message).close();
    return xmlAnswer(w.finish());
}

ApiAnswer BbbApi::handleApi(const ApiRequest& request) {
    const bool isGet = request.method == "GET" || request.method == "HEAD";
    const bool isPost = request.method == "POST";
    if (request.call.empty()) {
        if (!isGet && !isPost) {
            ApiAnswer answer;
            answer.status = 405;
            answer.contentType = "text/plain;charset=UTF-8";
            answer.body = "Method Not Allowed";
            answer.headers.emplace_back("Allow", "GET, POST");
            return answer;
        }
        return index(Call{request, {}});
    }
    const auto route = routes().find(request.call);
    // Removed calls (getDefaultConfigXML, setConfigXML), hooks, and anything unknown.
    if (route == routes().end()) return failed("unsupportedRequest", "This request is not supported.");
    if ((isGet && !route->second.get) || (isPost && !route->second.post) || (!isGet && !isPost)) {
        ApiAnswer answer;
        answer.status = 405;
        answer.contentType = "text/plain;charset=UTF-8";
        answer.body = "Method Not Allowed";
        answer.headers.emplace_back("Allow", route->second.get && route->second.post ? "GET, POST"
                                             : route->second.get                     ? "GET"
                                                                                     : "POST");
        return answer;
    }

    Call call{request, QueryParams::parse(request.rawQuery)};
    if (isPost && request.call != "insertDocument" && isFormBody(request.contentType))
        call.params.addMissing(QueryParams::parse(request.body));

    std::lock_guard lock(mutex_);
    if (route->second.checksum &&
        !verifier_.verify(request.call, request.rawQuery, call.params.value("checksum"), call.params)) {
        if (request.call == "join") return joinError(call, nullptr, "checksumError", "Checksums do not match");
        return failed("checksumError", "Checksums do not match");
    }
    return (this->*route->second.handler)(call);
}

ApiAnswer BbbApi::index(const Call&) {
    XmlWriter w;
    w.open("response")
        .text("returncode", "SUCCESS")
        .text("version", options_.api_version)
        .text("apiVersion", options_.api_version)
        .text("bbbVersion", options_.bbb_version)
        .text("apiUrl", serverUrl_ + "/bigbluebutton/api")
        .text("graphqlWebsocketUrl", "ws" + serverUrl_.substr(4) + "/graphql")
        .text("graphqlApiUrl", serverUrl_ + "/api/rest")
        .close();
    return xmlAnswer(w.finish());
}

// ---------------------------------------------------------------------------------------------
// create

ApiAnswer BbbApi::create(const Call& call) {
    const auto& params = call.params;
    const std::string meetingId = trim(params.value("meetingID"));
    if (meetingId.empty()) return failed("missingParamMeetingID", kMissingMeetingId);
    if (meetingId.size() < 2 || meetingId.size() > 256)
        return failed("validationError", "Meeting ID must be between 2 and 256 characters");
    if (meetingId.find(',') != std::string::npos) return failed("validationError", "Meeting ID cannot contain ','");
    const std::string name = trim(params.value("name"));
    if (name.empty()) return failed("validationError", "You must provide a meeting name");
    if (name.size() < 2 || name.size() > 256)
        return failed("validationError", "Meeting name must be between 2 and 256 characters");
    const bool isBreakout = parseBool(params.value("isBreakout"));
    if (isBreakout && params.value("parentMeetingID").empty())
        return failed("parentMeetingIdMissing", "No parent meeting ID was provided for the breakout room");

    const std::string_view attendeePw = params.value("attendeePW");
    const std::string_view moderatorPw = params.value("moderatorPW");
    if (MeetingInfo* existing = find(meetingId)) {
        // 3.0: omitted passwords count as matching; a different one is a different meeting.
        if ((!attendeePw.empty() && attendeePw != existing->attendeePw) ||
            (!moderatorPw.empty() && moderatorPw != existing->moderatorPw))
            return failed("idNotUnique",
                          "A meeting already exists with that meeting ID.  Please use a different meeting ID.");
        ++existing->createCalls;
        // Pre-uploaded presentations are taken only once, so a repeated body is ignored.
        return createResponse(*existing, "duplicateWarning",
                              "This conference was already in existence and may currently be in progress.");
    }

    std::string voiceBridge(params.value("voiceBridge"));
    if (!voiceBridge.empty()) {
        for (const auto& [id, other] : meetings_)
            if (other.voiceBridge == voiceBridge)
                return failed("nonUniqueVoiceBridge", "The selected voice bridge is already in use.");
    } else {
        voiceBridge = uniqueVoiceBridge();
    }

    MeetingInfo m;
    m.meetingId = meetingId;
    m.name = name;
    m.createTime = nowMs();
    m.createDate = javaDate(m.createTime);
    m.startTime = m.createTime;
    m.internalMeetingId = sha1Hex(meetingId) + "-" + std::to_string(m.createTime);
    m.attendeePw = attendeePw.empty() ? random(8) : std::string(attendeePw);
    m.moderatorPw = moderatorPw.empty() ? random(8) : std::string(moderatorPw);
    m.voiceBridge = voiceBridge;
    m.dialNumber = params.has("dialNumber") && !params.value("dialNumber").empty()
                       ? std::string(params.value("dialNumber"))
                       : options_.default_dial_number;
    m.logoutUrl = params.value("logoutURL");
    m.meetingEndedUrl = params.value("meetingEndedURL");
    if (!params.value("guestPolicy").empty()) m.guestPolicy = upperCase(params.value("guestPolicy"));
    m.duration = std::max(0, toInt(params.value("duration"), 0));
    m.record = parseBool(params.value("record"));
    m.maxUsers = std::max(0, toInt(params.value("maxParticipants"), 0));
    m.isBreakout = isBreakout;
    if (isBreakout) {
        m.parentMeetingId = params.value("parentMeetingID");
        m.sequence = toInt(params.value("sequence"), 0);
        m.freeJoin = parseBool(params.value("freeJoin"));
        // akka-apps passes the parent's internal id; accept the external one as well.
        for (auto& [id, parent] : meetings_)
            if (parent.internalMeetingId == m.parentMeetingId || parent.meetingId == m.parentMeetingId)
                parent.breakoutRooms.push_back(m.internalMeetingId);
    }
    for (const auto& [key, value] : params.entries())
        if (auto meta = metaName(key)) m.metadata.try_emplace(*meta, value);
    for (const auto& entry : params.entries())
        if (entry.first != "checksum") m.createParams.push_back(entry);
    if (!call.request.body.empty() && !isFormBody(call.request.contentType)) recordModules(m, call.request.body);
    m.createCalls = 1;
    m.creationOrder = nextOrder_++;
    ended_.erase(meetingId);

    auto [it, inserted] = meetings_.emplace(meetingId, std::move(m));
    return createResponse(it->second, "", "");
}

ApiAnswer BbbApi::createResponse(const MeetingInfo& m, std::string_view key, std::string_view message) const {
    XmlWriter w;
    w.open("response")
        .text("returncode", "SUCCESS")
        .text("meetingID", m.meetingId)
        .text("internalMeetingID", m.internalMeetingId)
        .text("parentMeetingID", m.parentMeetingId);
    if (!m.attendeePw.empty()) w.text("attendeePW", m.attendeePw);
    if (!m.moderatorPw.empty()) w.text("moderatorPW", m.moderatorPw);
    w.number("createTime", m.createTime)
        .text("voiceBridge", m.voiceBridge)
        .text("dialNumber", m.dialNumber)
        .text("createDate", m.createDate)
        .boolean("hasUserJoined", m.hasUserJoined)
        .number("duration", m.duration)
        .boolean("hasBeenForciblyEnded", m.hasBeenForciblyEnded)
        .text("messageKey", key)
        .text("message", message)
        .close();
    return xmlAnswer(w.finish());
}

void BbbApi::recordModules(MeetingInfo& meeting, const std::string& body) {
    meeting.xmlBodies.push_back(body);
    try {
        Poco::XML::DOMParser parser;
        // A test fake has no business fetching entities from anywhere.
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        Poco::AutoPtr<Poco::XML::Document> document = parser.parseString(body);
        const Poco::XML::Element* root = document->documentElement();
        if (!root || root->nodeName() != "modules") return;
        for (auto* node = root->firstChild(); node; node = node->nextSibling()) {
            if (node->nodeType() != Poco::XML::Node::ELEMENT_NODE || node->nodeName() != "module") continue;
            const auto* module = static_cast<const Poco::XML::Element*>(node);
            const std::string moduleName = module->getAttribute("name");
            if (moduleName == "clientSettingsOverride") {
                meeting.clientSettingsOverride = trim(module->innerText());
                continue;
            }
            if (moduleName != "presentation") continue;
            for (auto* d = module->firstChild(); d; d = d->nextSibling()) {
                if (d->nodeType() != Poco::XML::Node::ELEMENT_NODE || d->nodeName() != "document") continue;
                const auto* doc = static_cast<const Poco::XML::Element*>(d);
                PresentationDocument p;
                p.url = doc->getAttribute("url");
                p.filename = doc->getAttribute("filename");
                p.name = doc->getAttribute("name");
                p.current = doc->getAttribute("current");
                p.downloadable = doc->getAttribute("downloadable");
                p.removable = doc->getAttribute("removable");
                p.content = trim(doc->innerText());
                meeting.presentations.push_back(std::move(p));
            }
        }
    } catch (const Poco::Exception&) {
        // bbb-web logs an unparsable modules document and creates the meeting anyway; the raw
        // body stays in xmlBodies for the test to inspect.
        return;
    }
}

// ---------------------------------------------------------------------------------------------
// join

ApiAnswer BbbApi::joinError(const Call& call, const MeetingInfo* meeting, std::string_view key,
                            std::string_view message) {
    if (lowerCase(call.params.value("redirect")) == "false") return failed(key, message);
    // Browser mode: bbb-web redirects to the error URL, the logout URL or its default logout
    // URL, with errors=[{"key":…,"message":…}] appended.
    std::string base(call.params.value("errorRedirectUrl"));
    if (base.empty()) base = call.params.value("logoutURL");
    if (base.empty() && meeting) base = meeting->logoutUrl;
    if (base.empty()) base = serverUrl_ + "/";
    Poco::JSON::Object::Ptr error = new Poco::JSON::Object(true);
    error->set("key", std::string(key));
    error->set("message", std::string(message));
    Poco::JSON::Array errors;
    errors.add(error);
    std::ostringstream json;
    errors.stringify(json);
    return redirectTo(withParam(base, "errors=" + formEncode(json.str())));
}

ApiAnswer BbbApi::join(const Call& call) {
    const auto& params = call.params;
    const std::string meetingId = trim(params.value("meetingID"));
    if (meetingId.empty()) return joinError(call, nullptr, "missingParamMeetingID", kMissingMeetingId);
    const std::string fullName = trim(params.value("fullName"));
    if (fullName.empty())
        return joinError(call, nullptr, "missingParamFullName",
                         "You must specify a name for the attendee who will be joining the meeting.");
    MeetingInfo* m = find(meetingId);
    if (!m) {
        if (ended_.contains(meetingId))
            return joinError(call, nullptr, "meetingForciblyEnded",
                             "You can not re-join a meeting that has already been forcibly ended.");
        return joinError(call, nullptr, "invalidMeetingIdentifier",
                         "The meeting ID that you supplied did not match any existing meetings");
    }
    if (params.has("createTime") && parseNumber<std::int64_t>(params.value("createTime")) != m->createTime)
        return joinError(call, m, "mismatchCreateTimeParam",
                         "The createTime parameter submitted mismatches with the current meeting.");

    // 3.0: a valid role wins; the password is the fallback.
    std::string role = upperCase(params.value("role"));
    if (role != "MODERATOR" && role != "VIEWER") {
        const std::string_view password = params.value("password");
        if (password.empty())
            return joinError(call, m, "missingParamPassword", "You must specify a password for the meeting.");
        if (password == m->moderatorPw)
            role = "MODERATOR";
        else if (password == m->attendeePw)
            role = "VIEWER";
        else
            return joinError(call, m, "invalidPassword",
                             "You either did not supply a password or the password supplied is neither the attendee "
                             "or moderator password for this conference.");
    }

    const bool guest = parseBool(params.value("guest"));
    if (guest && m->guestPolicy == "ALWAYS_DENY")
        return joinError(call, m, "guestDeniedAccess",
                         "You have been denied access to this meeting based on the meeting's guest policy");
    const bool guestWaits = guest && m->guestPolicy == "ASK_MODERATOR";
    if (m->maxUsers > 0 && m->participantCount() >= m->maxUsers)
        return joinError(call, m, "maxParticipantsReached",
                         "The number of participants allowed for this meeting has been reached.");

    AttendeeInfo a;
    a.internalUserId = "w_" + random(12);
    a.userId = params.value("userID").empty() ? a.internalUserId : std::string(params.value("userID"));
    a.fullName = fullName;
    a.role = role;
    a.guest = guest;
    a.sessionToken = random(16);
    for (const auto& [key, value] : params.entries())
        if (key.starts_with("userdata-") && key.size() > 9) a.customData.try_emplace(key.substr(9), value);
    const std::string authToken = random(12);
    const std::string url =
        serverUrl_ + (guestWaits ? "/html5client/guestWait" : "/html5client/join") + "?sessionToken=" + a.sessionToken;
    const std::string internalUserId = a.internalUserId;
    const std::string sessionToken = a.sessionToken;
    if (options_.joins_count_immediately && !guestWaits)
        admit(*m, std::move(a));
    else
        m->pendingAttendees.push_back(std::move(a));

    if (lowerCase(params.value("redirect")) != "false") return redirectTo(url);
    XmlWriter w;
    w.open("response")
        .text("returncode", "SUCCESS")
        .text("messageKey", guestWaits ? "guestWait" : "successfullyJoined")
        .text("message", guestWaits ? "Guest waiting for approval to join meeting." : "You have joined successfully.")
        .text("meeting_id", m->internalMeetingId)
        .text("user_id", internalUserId)
        .text("auth_token", authToken)
        .text("session_token", sessionToken)
        .text("guestStatus", guestWaits ? "WAIT" : "ALLOW")
        .text("url", url)
        .close();
    return xmlAnswer(w.finish());
}

void BbbApi::admit(MeetingInfo& meeting, AttendeeInfo attendee) {
    // BBB makes the first moderator in the room the presenter.
    if (attendee.role == "MODERATOR" &&
        std::none_of(meeting.attendees.begin(), meeting.attendees.end(), [](auto& x) { return x.isPresenter; }))
        attendee.isPresenter = true;
    meeting.attendees.push_back(std::move(attendee));
    meeting.hasUserJoined = true;
}

std::pair<MeetingInfo*, AttendeeInfo*> BbbApi::findSession(std::string_view sessionToken) {
    if (sessionToken.empty()) return {nullptr, nullptr};
    for (auto& [id, m] : meetings_) {
        for (auto& a : m.pendingAttendees)
            if (a.sessionToken == sessionToken) return {&m, &a};
        for (auto& a : m.attendees)
            if (a.sessionToken == sessionToken) return {&m, &a};
    }
    return {nullptr, nullptr};
}

bool BbbApi::connectLocked(MeetingInfo& meeting, std::string_view sessionToken) {
    auto it = std::find_if(meeting.pendingAttendees.begin(), meeting.pendingAttendees.end(),
                           [&](const AttendeeInfo& a) { return a.sessionToken == sessionToken; });
    if (it == meeting.pendingAttendees.end()) return false;
    AttendeeInfo attendee = std::move(*it);
    meeting.pendingAttendees.erase(it);
    admit(meeting, std::move(attendee));
    return true;
}

ApiAnswer BbbApi::handleClient(const ApiRequest& request) {
    const QueryParams params = QueryParams::parse(request.rawQuery);
    std::lock_guard lock(mutex_);
    auto [meeting, attendee] = findSession(params.value("sessionToken"));
    ApiAnswer answer;
    answer.contentType = "text/html;charset=UTF-8";
    if (!meeting) {
        answer.status = 404;
        answer.body = "<html><body>Unknown session</body></html>";
        return answer;
    }
    connectLocked(*meeting, params.value("sessionToken"));
    answer.body = "<html><body>Fake BigBlueButton client: " + XmlWriter::escape(meeting->name) + "</body></html>";
    return answer;
}

ApiAnswer BbbApi::enter(const Call& call) {
    const std::string token(call.params.value("sessionToken"));
    auto [meeting, attendee] = findSession(token);
    Poco::JSON::Object::Ptr response = new Poco::JSON::Object(true);
    if (!meeting) {
        response->set("returncode", "FAILED");
        response->set("message", "Could not find conference.");
        response->set("messageKey", "missingSession");
        return jsonAnswer(response);
    }
    const AttendeeInfo copy = *attendee;
    connectLocked(*meeting, token);
    response->set("returncode", "SUCCESS");
    response->set("fullname", copy.fullName);
    response->set("confname", meeting->name);
    response->set("meetingID", meeting->internalMeetingId);
    response->set("externMeetingID", meeting->meetingId);
    response->set("externUserID", copy.userId);
    response->set("internalUserID", copy.internalUserId);
    response->set("role", copy.role);
    response->set("guest", copy.guest ? "true" : "false");
    return jsonAnswer(response);
}

// ---------------------------------------------------------------------------------------------
// end, isMeetingRunning, getMeetingInfo, getMeetings

std::vector<std::string> BbbApi::endLocked(const std::string& meetingId) {
    std::vector<std::string> callbacks;
    auto it = meetings_.find(meetingId);
    if (it == meetings_.end()) return callbacks;
    MeetingInfo m = std::move(it->second);
    meetings_.erase(it);
    ended_.insert(m.meetingId);
    if (auto url = m.metadata.find("endcallbackurl"); url != m.metadata.end() && !url->second.empty())
        callbacks.push_back(withParam(url->second, std::string("recordingmarks=") +
                                                       (m.recordingMarks ? "true" : "false") +
                                                       "&meetingID=" + formEncode(m.meetingId)));
    if (!m.meetingEndedUrl.empty()) callbacks.push_back(m.meetingEndedUrl);
    // Ending a parent ends its breakout rooms.
    std::vector<std::string> breakouts;
    for (const auto& [id, other] : meetings_)
        if (other.isBreakout && other.parentMeetingId == m.internalMeetingId) breakouts.push_back(id);
    for (const auto& id : breakouts) {
        auto more = endLocked(id);
        callbacks.insert(callbacks.end(), more.begin(), more.end());
    }
    return callbacks;
}

ApiAnswer BbbApi::end(const Call& call) {
    const std::string meetingId = trim(call.params.value("meetingID"));
    if (meetingId.empty()) return failed("missingParamMeetingID", kMissingMeetingId);
    if (!find(meetingId)) return failed("notFound", kNotFound);
    XmlWriter w;
    w.open("response")
        .text("returncode", "SUCCESS")
        .text("messageKey", "sentEndMeetingRequest")
        .text("message",
              "A request to end the meeting was sent.  Please wait a few seconds, and then use the getMeetingInfo "
              "or isMeetingRunning API calls to verify that it was ended.")
        .close();
    ApiAnswer answer = xmlAnswer(w.finish());
    answer.callbacks = endLocked(meetingId);
    return answer;
}

ApiAnswer BbbApi::isMeetingRunning(const Call& call) {
    const std::string meetingId = trim(call.params.value("meetingID"));
    if (meetingId.empty()) return failed("missingParamMeetingID", kMissingMeetingId);
    const MeetingInfo* m = find(meetingId);
    XmlWriter w;
    w.open("response").text("returncode", "SUCCESS").boolean("running", m && m->running()).close();
    return xmlAnswer(w.finish());
}

void BbbApi::writeMeeting(XmlWriter& w, const MeetingInfo& m, bool inList) const {
    w.text("meetingName", m.name)
        .text("meetingID", m.meetingId)
        .text("internalMeetingID", m.internalMeetingId)
        .number("createTime", m.createTime)
        .text("createDate", m.createDate)
        .text("voiceBridge", m.voiceBridge)
        .text("dialNumber", m.dialNumber);
    // getMeetingInfo prints passwords only when set; getMeetings always does.
    if (inList || !m.attendeePw.empty()) w.text("attendeePW", m.attendeePw);
    if (inList || !m.moderatorPw.empty()) w.text("moderatorPW", m.moderatorPw);
    w.boolean("running", m.running())
        .number("duration", m.duration)
        .boolean("hasUserJoined", m.hasUserJoined)
        .boolean("recording", m.record)
        .boolean("hasBeenForciblyEnded", m.hasBeenForciblyEnded)
        .number("startTime", m.startTime)
        .number("endTime", m.endTime)
        .number("participantCount", m.participantCount())
        .number("listenerCount", m.listenerCount())
        .number("voiceParticipantCount", m.voiceParticipantCount())
        .number("videoCount", m.videoCount())
        .number("maxUsers", m.maxUsers)
        .number("moderatorCount", m.moderatorCount());
    w.open("attendees");
    for (const auto& a : m.attendees) {
        w.open("attendee")
            .text("userID", a.userId)
            .text("fullName", a.fullName)
            .text("role", a.role)
            .boolean("isPresenter", a.isPresenter)
            .boolean("isListeningOnly", a.isListeningOnly)
            .boolean("hasJoinedVoice", a.hasJoinedVoice)
            .boolean("hasVideo", a.hasVideo)
            .text("clientType", a.clientType);
        if (!a.customData.empty()) {
            w.open("customdata");
            for (const auto& [key, value] : a.customData)
                if (XmlWriter::isName(key)) w.text(key, value);
            w.close();
        }
        w.close();
    }
    w.close();
    w.open("metadata");
    for (const auto& [key, value] : m.metadata)
        if (XmlWriter::isName(key)) w.text(key, value);
    w.close();
    w.boolean("isBreakout", m.isBreakout);
    if (m.isBreakout)
        w.text("parentMeetingID", m.parentMeetingId).number("sequence", m.sequence).boolean("freeJoin", m.freeJoin);
    if (!m.breakoutRooms.empty()) {
        w.open("breakoutRooms");
        for (const auto& room : m.breakoutRooms) w.text("breakout", room);
        w.close();
    }
}

ApiAnswer BbbApi::getMeetingInfo(const Call& call) {
    const std::string meetingId = trim(call.params.value("meetingID"));
    if (meetingId.empty()) return failed("missingParamMeetingID", kMissingMeetingId);
    const MeetingInfo* m = find(meetingId);
    if (!m) return failed("notFound", kNotFound);
    XmlWriter w;
    w.open("response").text("returncode", "SUCCESS");
    writeMeeting(w, *m, false);
    w.close();
    return xmlAnswer(w.finish());
}

ApiAnswer BbbApi::getMeetings(const Call&) {
    std::vector<const MeetingInfo*> list;
    for (const auto& [id, m] : meetings_) list.push_back(&m);
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->creationOrder < b->creationOrder; });
    XmlWriter w;
    w.open("response").text("returncode", "SUCCESS");
    if (list.empty()) {
        w.empty("meetings").text("messageKey", "noMeetings").text("message", "no meetings were found on this server");
    } else {
        w.open("meetings");
        for (const MeetingInfo* m : list) {
            w.open("meeting");
            writeMeeting(w, *m, true);
            w.close();
        }
        w.close();
    }
    w.close();
    return xmlAnswer(w.finish());
}

// ---------------------------------------------------------------------------------------------
// insertDocument, sendChatMessage

ApiAnswer BbbApi::insertDocument(const Call& call) {
    const std::string meetingId = trim(call.params.value("meetingID"));
    if (meetingId.empty()) return failed("missingParamMeetingID", kMissingMeetingId);
    MeetingInfo* m = find(meetingId);
    XmlWriter w;
    // bbb-api.md §3: this call answers returncode and message only, even on failure.
    if (!m) {
        w.open("response")
            .text("returncode", "FAILED")
            .text("message", "Meeting with id [" + meetingId + "] not found.")
            .close();
        return xmlAnswer(w.finish());
    }
    if (!call.request.body.empty()) recordModules(*m, call.request.body);
    w.open("response").text("returncode", "SUCCESS").text("message", "Presentation is being uploaded").close();
    return xmlAnswer(w.finish());
}

ApiAnswer BbbApi::sendChatMessage(const Call& call) {
    const std::string meetingId = trim(call.params.value("meetingID"));
    if (meetingId.empty()) return failed("missingParamMeetingID", kMissingMeetingId);
    const std::string_view message = call.params.value("message");
    if (message.empty()) return failed("validationError", "You must provide a message");
    if (message.size() > 500) return failed("validationError", "Message must be between 1 and 500 characters");
    std::string userName(call.params.value("userName"));
    if (userName.size() > 255) return failed("validationError", "User name must be at most 255 characters");
    MeetingInfo* m = find(meetingId);
    if (!m) return failed("notFound", kNotFound);
    m->chatMessages.push_back({userName.empty() ? "System" : userName, std::string(message)});
    XmlWriter w;
    w.open("response").text("returncode", "SUCCESS").text("messageKey", "").text("message", "").close();
    return xmlAnswer(w.finish());
}

// ---------------------------------------------------------------------------------------------
// recordings

ApiAnswer BbbApi::getRecordings(const Call& call) {
    const auto& params = call.params;
    const auto recordIds = splitComma(params.value("recordID"));
    const auto meetingIds = splitComma(params.value("meetingID"));
    auto states = splitComma(params.value("state"));
    if (states.empty()) states = {"published", "unpublished"};
    const bool anyState = std::find(states.begin(), states.end(), "any") != states.end();
    std::vector<std::pair<std::string, std::string>> metaFilters;
    for (const auto& [key, value] : params.entries())
        if (auto meta = metaName(key)) metaFilters.emplace_back(*meta, value);
    const int offset = std::max(0, toInt(params.value("offset"), 0));
    const int limit = toInt(params.value("limit"), 0);

    std::vector<const RecordingInfo*> found;
    for (const auto& r : recordings_) {
        if (!recordIds.empty()) {
            // recordID wins over meetingID; each item matches as a prefix.
            if (std::none_of(recordIds.begin(), recordIds.end(), [&](auto& id) { return r.recordId.starts_with(id); }))
                continue;
        } else if (!meetingIds.empty() &&
                   std::find(meetingIds.begin(), meetingIds.end(), r.meetingId) == meetingIds.end()) {
            continue;
        }
        if (!anyState && std::find(states.begin(), states.end(), r.state) == states.end()) continue;
        if (!std::all_of(metaFilters.begin(), metaFilters.end(), [&](auto& f) {
                auto it = r.metadata.find(f.first);
                return it != r.metadata.end() && it->second == f.second;
            }))
            continue;
        found.push_back(&r);
    }
    if (offset > 0)
        found.erase(found.begin(),
                    found.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(offset, found.size())));
    if (limit >= 1 && limit <= 100 && found.size() > static_cast<std::size_t>(limit)) found.resize(limit);

    XmlWriter w;
    w.open("response").text("returncode", "SUCCESS");
    if (found.empty()) {
        w.empty("recordings").text("messageKey", "noRecordings").text("message", kNoRecordings).close();
        return xmlAnswer(w.finish());
    }
    w.open("recordings");
    for (const RecordingInfo* r : found) {
        w.open("recording")
            .text("recordID", r->recordId)
            .text("meetingID", r->meetingId)
            .text("internalMeetingID", r->internalMeetingId)
            .text("name", r->name)
            .boolean("isBreakout", r->isBreakout)
            .boolean("published", r->published)
            .text("state", r->state)
            .number("startTime", r->startTime)
            .number("endTime", r->endTime)
            .number("participants", r->participants);
        w.open("metadata");
        for (const auto& [key, value] : r->metadata)
            if (XmlWriter::isName(key)) w.text(key, value);
        w.close();
        w.open("playback");
        for (const auto& f : r->formats) {
            w.open("format")
                .text("type", f.type)
                .text("url", f.url)
                .number("processingTime", f.processingTime)
                .number("length", f.length);
            if (!f.images.empty()) {
                w.open("preview").open("images");
                for (const auto& image : f.images) {
                    const std::string width = std::to_string(image.width);
                    const std::string height = std::to_string(image.height);
                    w.text("image", image.url, {{"width", width}, {"height", height}, {"alt", image.alt}});
                }
                w.close().close();
            }
            w.close();
        }
        w.close().close();
    }
    w.close().close();
    return xmlAnswer(w.finish());
}

ApiAnswer BbbApi::publishRecordings(const Call& call) {
    const auto ids = splitComma(call.params.value("recordID"));
    if (ids.empty()) return failed("missingParamRecordID", "You must specify a recordID.");
    if (call.params.value("publish").empty())
        return failed("missingParamPublish", "You must specify a publish value true or false.");
    const bool publish = parseBool(call.params.value("publish"));
    bool any = false;
    for (auto& r : recordings_) {
        if (std::find(ids.begin(), ids.end(), r.recordId) == ids.end()) continue;
        any = true;
        r.published = publish;
        r.state = publish ? "published" : "unpublished";
    }
    if (!any) return failed("notFound", "We could not find recordings");
    XmlWriter w;
    w.open("response").text("returncode", "SUCCESS").boolean("published", publish).close();
    return xmlAnswer(w.finish());
}

ApiAnswer BbbApi::deleteRecordings(const Call& call) {
    const auto ids = splitComma(call.params.value("recordID"));
    if (ids.empty()) return failed("missingParamRecordID", "You must specify a recordID.");
    bool any = false;
    for (auto& r : recordings_) {
        if (std::find(ids.begin(), ids.end(), r.recordId) == ids.end()) continue;
        any = true;
        r.published = false;
        r.state = "deleted";
    }
    if (!any) return failed("notFound", "We could not find recordings");
    XmlWriter w;
    w.open("response").text("returncode", "SUCCESS").boolean("deleted", true).close();
    return xmlAnswer(w.finish());
}

ApiAnswer BbbApi::updateRecordings(const Call& call) {
    const auto ids = splitComma(call.params.value("recordID"));
    if (ids.empty()) return failed("missingParamRecordID", "You must specify a recordID.");
    bool any = false;
    for (auto& r : recordings_) {
        if (std::find(ids.begin(), ids.end(), r.recordId) == ids.end()) continue;
        any = true;
        for (const auto& [key, value] : call.params.entries()) {
            auto meta = metaName(key);
            if (!meta) continue;
            if (value.empty())
                r.metadata.erase(*meta);
            else
                r.metadata[*meta] = value;
        }
    }
    if (!any) return failed("notFound", "We could not find recordings");
    XmlWriter w;
    w.open("response").text("returncode", "SUCCESS").boolean("updated", true).close();
    return xmlAnswer(w.finish());
}

ApiAnswer BbbApi::getRecordingTextTracks(const Call& call) {
    const std::string recordId(call.params.value("recordID"));
    Poco::JSON::Object::Ptr response = new Poco::JSON::Object(true);
    if (recordId.empty()) {
        response->set("returncode", "FAILED");
        response->set("messageKey", "missingParameter");
        response->set("message", "param recordID is missing");
        return jsonAnswer(response);
    }
    const bool known =
        std::any_of(recordings_.begin(), recordings_.end(), [&](auto& r) { return r.recordId == recordId; });
    if (!known) {
        response->set("returncode", "FAILED");
        response->set("messageKey", "noRecordings");
        response->set("message", "No recording found for " + recordId);
        return jsonAnswer(response);
    }
    response->set("returncode", "SUCCESS");
    response->set("tracks", Poco::JSON::Array());
    return jsonAnswer(response);
}

// ---------------------------------------------------------------------------------------------
// control API

MeetingInfo* BbbApi::find(std::string_view meetingId) {
    auto it = meetings_.find(meetingId);
    return it == meetings_.end() ? nullptr : &it->second;
}

const MeetingInfo* BbbApi::find(std::string_view meetingId) const {
    auto it = meetings_.find(meetingId);
    return it == meetings_.end() ? nullptr : &it->second;
}

std::vector<MeetingInfo> BbbApi::meetings() const {
    std::lock_guard lock(mutex_);
    std::vector<MeetingInfo> out;
    for (const auto& [id, m] : meetings_) out.push_back(m);
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.creationOrder < b.creationOrder; });
    return out;
}

std::optional<MeetingInfo> BbbApi::meeting(const std::string& meetingId) const {
    std::lock_guard lock(mutex_);
    const MeetingInfo* m = find(meetingId);
    return m ? std::optional<MeetingInfo>(*m) : std::nullopt;
}

void BbbApi::setAttendees(const std::string& meetingId, int participants, int listeners, int voice, int video,
                          int moderators) {
    for (int n : {listeners, voice, video, moderators})
        if (n < 0 || n > participants)
            throw std::invalid_argument("setAttendees: counts must be within 0..participants");
    std::lock_guard lock(mutex_);
    MeetingInfo* m = find(meetingId);
    if (!m) throw std::invalid_argument("setAttendees: no meeting " + meetingId);
    m->attendees.clear();
    m->pendingAttendees.clear();
    for (int i = 0; i < participants; ++i) {
        AttendeeInfo a;
        const std::uint64_t n = nextInjected_++;
        a.internalUserId = "w_injected" + std::to_string(n);
        a.userId = "injected-" + std::to_string(n);
        a.fullName = "Injected User " + std::to_string(i + 1);
        a.role = i < moderators ? "MODERATOR" : "VIEWER";
        a.isPresenter = i == 0 && moderators > 0;
        a.isListeningOnly = i < listeners;
        a.hasJoinedVoice = i < voice;
        a.hasVideo = i < video;
        a.sessionToken = random(16);
        m->attendees.push_back(std::move(a));
    }
    if (participants > 0) m->hasUserJoined = true;
}

bool BbbApi::removeAttendee(const std::string& meetingId, const std::string& userId) {
    std::lock_guard lock(mutex_);
    MeetingInfo* m = find(meetingId);
    if (!m) return false;
    for (auto* list : {&m->attendees, &m->pendingAttendees}) {
        auto it = std::find_if(list->begin(), list->end(),
                               [&](auto& a) { return a.userId == userId || a.internalUserId == userId; });
        if (it != list->end()) {
            list->erase(it);
            return true;
        }
    }
    return false;
}

int BbbApi::connectPendingAttendees(const std::string& meetingId) {
    std::lock_guard lock(mutex_);
    MeetingInfo* m = find(meetingId);
    if (!m) return 0;
    auto pending = std::move(m->pendingAttendees);
    m->pendingAttendees.clear();
    for (auto& a : pending) admit(*m, std::move(a));
    return static_cast<int>(pending.size());
}

void BbbApi::setRecordingMarks(const std::string& meetingId, bool marks) {
    std::lock_guard lock(mutex_);
    if (MeetingInfo* m = find(meetingId)) m->recordingMarks = marks;
}

std::optional<std::vector<std::string>> BbbApi::endMeeting(const std::string& meetingId) {
    std::lock_guard lock(mutex_);
    if (!find(meetingId)) return std::nullopt;
    return endLocked(meetingId);
}

void BbbApi::reset() {
    std::lock_guard lock(mutex_);
    meetings_.clear();
    ended_.clear();
    recordings_.clear();
}

void BbbApi::addRecording(RecordingInfo recording) {
    std::lock_guard lock(mutex_);
    if (const MeetingInfo* m = find(recording.meetingId)) {
        if (recording.internalMeetingId.empty()) recording.internalMeetingId = m->internalMeetingId;
        if (recording.name.empty()) recording.name = m->name;
    }
    if (recording.internalMeetingId.empty())
        recording.internalMeetingId = sha1Hex(recording.meetingId) + "-" + std::to_string(nowMs());
    // BBB's recordID is the internal meeting id.
    if (recording.recordId.empty()) recording.recordId = recording.internalMeetingId;
    recordings_.push_back(std::move(recording));
}

std::vector<RecordingInfo> BbbApi::recordings() const {
    std::lock_guard lock(mutex_);
    return recordings_;
}

// ---------------------------------------------------------------------------------------------
// helpers

std::string BbbApi::random(std::size_t length) {
    static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
    std::string out(length, ' ');
    for (char& c : out) c = kAlphabet[pick(rng_)];
    return out;
}

std::string BbbApi::uniqueVoiceBridge() {
    std::uniform_int_distribution<int> pick(10000, 99999);
    for (;;) {
        std::string candidate = std::to_string(pick(rng_));
        if (std::none_of(meetings_.begin(), meetings_.end(),
                         [&](auto& e) { return e.second.voiceBridge == candidate; }))
            return candidate;
    }
}

std::int64_t BbbApi::nowMs() const {
    if (options_.now_ms) return options_.now_ms();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace b3s::test::bbb
