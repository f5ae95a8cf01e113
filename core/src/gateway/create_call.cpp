#include "gateway/create_call.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "bbb/meeting_state.hpp"
#include "bbb/param_merge.hpp"
#include "bbb/xml_writer.hpp"
#include "cluster/placement_candidates.hpp"
#include "gateway/answer_rewrite.hpp"
#include "gateway/callback_params.hpp"
#include "http/request_trace.hpp"
#include "log/logger.hpp"
#include "util/ascii.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <charconv>
#include <sstream>

namespace b3s::core::gateway {
namespace {

using cluster::BackendApiResult;
using cluster::MeetingPlacer;

log::Logger& createLog() {
    static log::Logger l("b3s.core.gateway");
    return l;
}

constexpr int kMaxBackendsTried = 3;
/// The create parameters kept with a meeting to re-create it elsewhere (never its slides): a
/// query is at most 16,000 bytes, but form-body parameters could make this megabytes per row.
constexpr std::size_t kMaxKeptCreateParams = 64 * 1024;

std::string trim(std::string_view s) {
    return std::string(trimAny(s, " \t"));
}

// Removes a placement whose create failed — only while nobody completed it meanwhile.
void undoPlacement(const GatewayContext& context, const std::string& frontend_id, const std::string& encoded,
                   const std::string& backend_id, const std::string& meeting_id) {
    try {
        if (context.store.deletePendingMeeting(frontend_id, encoded, backend_id))
            context.cluster.removeMeeting(encoded);
    } catch (const store::StoreError& e) {
        createLog().warn("create_undo_failed", {{"meeting", meeting_id}, {"error", e.what()}});
    }
    context.placer.forget(encoded);
}

const char* placementOutcome(MeetingPlacer::Result::Outcome outcome) {
    using Outcome = MeetingPlacer::Result::Outcome;
    switch (outcome) {
        case Outcome::Placed: return "placed";
        case Outcome::PlacedElsewhere: return "placed_elsewhere";
        case Outcome::NoBackend: return "no_backend";
        case Outcome::Conflict: return "conflict";
        case Outcome::StoreUnavailable: return "store_unavailable";
    }
    return "unknown";
}

// Counts one re-creation of a lost meeting: failed unless told it succeeded.
class FailoverCount {
public:
    explicit FailoverCount(const metrics::CoreMetrics& metrics) : metrics_(metrics) {}
    ~FailoverCount() {
        if (active_) metrics_.failovers.inc({succeeded_ ? "recreated" : "failed"});
    }
    FailoverCount(const FailoverCount&) = delete;
    FailoverCount& operator=(const FailoverCount&) = delete;
    void start() { active_ = true; }
    void succeeded() { succeeded_ = true; }

private:
    const metrics::CoreMetrics& metrics_;
    bool active_ = false;
    bool succeeded_ = false;
};

// A re-creation keeps what the backend generated at the first create: both passwords
// (frontends hand them out in join links) and the dial-in number — where it is free: a voice
// bridge already in use on the new backend (whoever chose it) gives way rather than the
// meeting.
struct Recreation {
    bool voice_bridge_may_yield = false;
    /// The lost meeting as it was: a move of it whose create fails is put back, not deleted.
    std::optional<store::Meeting> lost;
};
Recreation keepGeneratedParams(bbb::ParamList& params, const store::Meeting& lost) {
    static constexpr std::pair<const char*, const char*> kKept[] = {
        {"attendeePW", "AttendeePW"}, {"moderatorPW", "ModeratorPW"}, {"voiceBridge", "VoiceBridge"}};
    for (const auto& [param, field] : kKept) {
        if (params.get(param)) continue;
        if (auto value = bbb::meetingStateField(lost.state_json, field)) params.set(param, *value);
    }
    return {params.get("voiceBridge").has_value(), lost};
}

// A lost meeting's re-creation failed on the backend it was moved to: back to where it was
// lost, still lost, with what its first backend generated, for the next create or join.
void restorePlacement(const GatewayContext& context, const store::Meeting& lost, const std::string& moved_to,
                      const std::string& meeting_id) {
    try {
        if (auto row = context.store.restoreLostMeeting(lost, moved_to, context.clock.nowMicros()))
            context.cluster.put(*row);
    } catch (const store::StoreError& e) {
        createLog().warn("create_undo_failed", {{"meeting", meeting_id}, {"error", e.what()}});
    }
    context.placer.forget(lost.id);
}

}  // namespace

std::string paramsJson(const bbb::ParamList& params) {
    Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& p : params) object.set(p.name, p.value);
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

bbb::ParamList paramsFromJson(std::string_view json) {
    bbb::ParamList params;
    try {
        Poco::JSON::Parser parser;
        const auto object = parser.parse(std::string(json)).extract<Poco::JSON::Object::Ptr>();
        if (!object) return params;
        // Poco's object keeps no order once parsed; BBB does not care about parameter order.
        for (const auto& [name, value] : *object) params.set(name, value.convert<std::string>());
    } catch (const Poco::Exception& e) {
        // Written by createCall itself, so this is a damaged row: re-create with what is left.
        createLog().error("stored_create_params_unreadable", {{"error", e.displayText()}});
    }
    return params;
}

ServerTagRequest parseServerTag(std::string_view value) {
    ServerTagRequest request;
    std::string v = trim(value);
    if (v.ends_with('!')) {
        request.required = true;
        v.pop_back();
    }
    std::size_t start = 0;
    while (start <= v.size()) {
        const auto end = std::min(v.find(';', start), v.size());
        auto tag = trim(std::string_view(v).substr(start, end - start));
        if (!tag.empty()) request.tags.push_back(std::move(tag));
        start = end + 1;
    }
    if (request.tags.empty()) request.required = false;
    return request;
}

int parseSizeHint(std::string_view value) noexcept {
    int hint = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), hint);
    if (ec != std::errc{} || end != value.data() + value.size() || hint < 1 || hint > 100'000) return 0;
    return hint;
}

std::string defaultPresentationBody(std::string_view url) {
    const auto slash = url.rfind('/');
    const auto filename = slash == std::string_view::npos ? url : url.substr(slash + 1);
    bbb::XmlWriter xml;
    xml.startElement("modules").startElement("module").attribute("name", "presentation");
    xml.startElement("document").attribute("url", url).attribute("filename", filename);
    return xml.finish();
}

BbbAnswer CreateCall::operator()(const BbbCall& call, std::vector<std::string> avoid) const {
    const auto& frontend = call.frontend->frontend;
    const auto& settings = call.frontend->settings;

    bbb::ParamList params = call.params;
    bbb::applyParamSettings(params, settings.create_default_params, settings.create_override_params);
    // After the overrides, so a frontend's settings cannot hide whose meeting it is. BBB
    // lower-cases metadata names, so any other spelling of it would compete with ours.
    std::vector<std::string> impostors;
    for (const auto& p : params)
        if (p.name != "meta_b3s-frontend" && equalsIgnoreAsciiCase(p.name, "meta_b3s-frontend"))
            impostors.push_back(p.name);
    for (const auto& name : impostors) params.erase(name);
    params.set("meta_b3s-frontend", frontend.key);
    const auto requested_id = params.get("meetingID");
    if (!requested_id || requested_id->empty()) return BbbAnswer::failure(bbb::ApiError::missingParamMeetingID());
    const std::string meeting_id(*requested_id);
    const std::string encoded = bbb::encodeMeetingIdList(frontend.key, meeting_id);
    // Refused rather than wrapped: a token for a URL nobody can call is a token for nothing.
    if (const auto bad = invalidCallbackParam(params, context_.options.callback_policy)) {
        createLog().info("create_callback_url_refused",
                         {{"frontend", frontend.key}, {"param", bad->param}, {"reason", bad->reason}});
        return BbbAnswer::failure(bbb::ApiError::invalidCallbackUrl(bad->param));
    }

    std::string body = call.body;
    if (settings.default_presentation && !settings.default_presentation->url.empty() &&
        (body.empty() || settings.default_presentation->force))
        body = defaultPresentationBody(settings.default_presentation->url);

    auto& cluster = context_.cluster;
    auto& store = context_.store;
    // A meeting lost with its backend is re-created with what that backend generated.
    Recreation recreation;
    FailoverCount failover(context_.metrics);
    const auto previous = cluster.meeting(frontend.id, encoded);
    // A new meeting beyond the frontend's cap (a repeated create of a running one is fine).
    if (settings.meetings_limit > 0 && !previous &&
        cluster.meetingsOfFrontend(frontend.id).size() >= static_cast<std::size_t>(settings.meetings_limit)) {
        createLog().info("create_meetings_limit_reached",
                         {{"frontend", frontend.key}, {"limit", std::to_string(settings.meetings_limit)}});
        return BbbAnswer::failure(bbb::ApiError::meetingsLimitReached());
    }
    if (previous && previous->internal_id) {
        const auto previous_backend = previous->backend_id ? cluster.backend(*previous->backend_id) : nullptr;
        if (cluster::isLost(*previous, previous_backend.get())) {
            recreation = keepGeneratedParams(params, *previous);
            failover.start();
            createLog().info("meeting_recreating",
                             {{"frontend", frontend.key},
                              {"meeting", meeting_id},
                              {"lost_on", previous_backend ? previous_backend->host : "(deleted)"}});
        }
    }

    const auto server_tag = parseServerTag(params.get("meta_server-tag").value_or(""));
    const int size_hint = parseSizeHint(params.get("meta_bbb-meeting-size-hint").value_or(""));
    const std::string create_params = paramsJson(params);
    if (create_params.size() > kMaxKeptCreateParams) {
        createLog().info("create_params_too_large",
                         {{"frontend", frontend.key}, {"bytes", std::to_string(create_params.size())}});
        return BbbAnswer::failure(bbb::ApiError::validationError(
            "The create parameters are larger than the 64 KiB b3scale keeps to re-create a meeting."));
    }

    std::vector<std::string> excluded = std::move(avoid);
    for (int attempt = 0;; ++attempt) {
        const auto snapshot = cluster.snapshot();
        cluster::MeetingPtr meeting = snapshot->meeting(frontend.id, encoded);
        cluster::BackendPtr backend;
        if (meeting && meeting->backend_id) backend = snapshot->backend(*meeting->backend_id);
        // Our placement on a backend that just refused the connection: move it (one row
        // update, no delete and re-insert for the other instances to follow).
        if (backend && std::find(excluded.begin(), excluded.end(), backend->id) != excluded.end()) backend = nullptr;
        // Lost with its backend (offline, deleted, or back without it): placed anew.
        if (meeting && backend && cluster::isLost(*meeting, backend.get())) backend = nullptr;
        bool fresh = false;

        if (!backend) {
            MeetingPlacer::Request request;
            request.frontend_id = frontend.id;
            request.frontend_key = frontend.key;
            request.meeting_id = encoded;
            request.required_tags = settings.required_tags;
            request.server_tags = server_tag.tags;
            request.server_tags_required = server_tag.required;
            request.size_hint = size_hint;
            request.create_params_json = create_params;
            request.excluded_backends = excluded;
            // Known but its backend is gone (deleted) or unreachable: move it from there.
            if (meeting) request.move_from = meeting->backend_id;
            auto placed = context_.placer.place(request);
            using Outcome = MeetingPlacer::Result::Outcome;
            context_.metrics.placements.inc({context_.options.balancer, placementOutcome(placed.outcome)});
            switch (placed.outcome) {
                case Outcome::NoBackend:
                    createLog().warn("create_no_backend",
                                     {{"frontend", frontend.key}, {"meeting", meeting_id}, {"reason", placed.reason}});
                    if (!excluded.empty()) {
                        // Every backend left refused the connection: nothing exists anywhere.
                        if (meeting && !meeting->internal_id && meeting->backend_id) {
                            if (recreation.lost)
                                restorePlacement(context_, *recreation.lost, *meeting->backend_id, meeting_id);
                            else
                                undoPlacement(context_, frontend.id, encoded, *meeting->backend_id, meeting_id);
                        }
                        return BbbAnswer::failure(bbb::ApiError::backendUnreachable());
                    }
                    if (server_tag.required)
                        return BbbAnswer::failure(
                            bbb::ApiError::serverTagUnavailable(params.get("meta_server-tag").value_or("")));
                    return BbbAnswer::failure(bbb::ApiError::noServerAvailable());
                case Outcome::Conflict: return BbbAnswer::failure(bbb::ApiError::idNotUnique());
                case Outcome::StoreUnavailable:
                    createLog().error("create_store_failed",
                                      {{"frontend", frontend.key}, {"meeting", meeting_id}, {"error", placed.reason}});
                    return BbbAnswer::failure(
                        bbb::ApiError::internalError("The meeting could not be recorded; please try again."));
                case Outcome::Placed:
                case Outcome::PlacedElsewhere: break;
            }
            if (!placed.backend || !placed.meeting)
                return BbbAnswer::failure(bbb::ApiError::internalError("The meeting's server is not known yet."));
            backend = placed.backend;
            meeting = std::make_shared<const store::Meeting>(*placed.meeting);
            fresh = placed.outcome == Outcome::Placed;
            if (fresh)
                createLog().info("meeting_placed", {{"frontend", frontend.key},
                                                    {"meeting", meeting_id},
                                                    {"backend", backend->host},
                                                    {"reason", placed.reason}});
        }

        bbb::ParamList forwarded = params;
        forwarded.set("meetingID", encoded);
        callbacks::CallbackTarget callback_target;
        callback_target.frontend_id = frontend.id;
        callback_target.backend_id = backend->id;
        callback_target.meeting_id = encoded;
        callback_target.meeting_since_us = meeting->created_at;
        rewriteCallbackParams(forwarded, callback_target, context_.options.api_url, context_.options.callback_key,
                              context_.nowSeconds(), context_.options.callback_token_ttl_s);
        auto result = context_.backends.call(*backend, {"create", forwarded, body});
        if (recreation.voice_bridge_may_yield && result.answered() && result.messageKey() == "nonUniqueVoiceBridge") {
            // The old dial-in number is taken on the new backend: let it choose one.
            forwarded.erase("voiceBridge");
            recreation.voice_bridge_may_yield = false;
            result = context_.backends.call(*backend, {"create", forwarded, body});
        }

        const bool pending = !meeting->internal_id;
        auto undo = [&] {
            if (recreation.lost)
                restorePlacement(context_, *recreation.lost, backend->id, meeting_id);
            else
                undoPlacement(context_, frontend.id, encoded, backend->id, meeting_id);
        };

        switch (result.outcome) {
            case BackendApiResult::Outcome::Unreachable:
                createLog().warn("create_backend_unreachable", {{"frontend", frontend.key},
                                                                {"meeting", meeting_id},
                                                                {"backend", backend->host},
                                                                {"error", result.error},
                                                                {"next", fresh ? "another backend" : "none"}});
                if (fresh && attempt + 1 < kMaxBackendsTried) {
                    excluded.push_back(backend->id);
                    continue;
                }
                if (fresh) undo();
                return BbbAnswer::failure(bbb::ApiError::backendUnreachable());
            case BackendApiResult::Outcome::TimedOut:
                // The backend may have created it: keep the placement, a repeat goes there.
                createLog().warn("create_backend_timeout", {{"frontend", frontend.key},
                                                            {"meeting", meeting_id},
                                                            {"backend", backend->host},
                                                            {"error", result.error}});
                return BbbAnswer::failure(bbb::ApiError::backendUnreachable());
            case BackendApiResult::Outcome::Unreadable:
                createLog().warn("create_backend_unreadable", {{"frontend", frontend.key},
                                                               {"meeting", meeting_id},
                                                               {"backend", backend->host},
                                                               {"error", result.error}});
                return BbbAnswer::failure(bbb::ApiError::backendAnswerUnreadable());
            case BackendApiResult::Outcome::Answered: break;
        }

        if (!result.succeeded()) {
            if (pending) undo();
            return decodedAnswer(std::move(*result.xml));
        }
        const auto internal_id = result.xml->childText("internalMeetingID").value_or("");
        if (!internal_id.empty() && meeting->internal_id != internal_id) {
            try {
                const std::string state = bbb::meetingStateJson(*result.xml);
                auto created = store.markMeetingCreated(frontend.id, encoded, backend->id, internal_id, state);
                if (!created) {
                    // Undone by a concurrent failed create after ours succeeded: the meeting
                    // exists on this backend, so record it again.
                    store::Meeting m;
                    m.id = encoded;
                    m.frontend_id = frontend.id;
                    m.backend_id = backend->id;
                    m.create_params_json = create_params;
                    m.size_hint = size_hint;
                    m.internal_id = internal_id;
                    m.state_json = state;
                    created = store.insertMeeting(m);
                }
                cluster.put(*created);
            } catch (const store::StoreError& e) {
                // The meeting runs; the reconciler records it from the backend's meeting list.
                createLog().error("create_record_failed",
                                  {{"frontend", frontend.key}, {"meeting", meeting_id}, {"error", e.what()}});
            }
        }
        http::requestTrace().backend = metrics::backendLabel(backend->host);
        failover.succeeded();
        return decodedAnswer(std::move(*result.xml));
    }
}

}  // namespace b3s::core::gateway
