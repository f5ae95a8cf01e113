#pragma once
// The handlers of the REST API's routes (api_routes.hpp), one per action. Each reads the
// decoded, authorized request, applies the caller's reach in its store queries (a tenant's
// frontends, a node's own backend and meetings) and returns a value: JSON or an ApiError.
// Store errors propagate as StoreError; RestApi maps them.

#include "api/api_context.hpp"
#include "api/api_request.hpp"

namespace b3s::core::api {

// status_resource.cpp
ApiResult showStatus(const ApiRequest& request, ApiContext& context);
ApiResult migrateDatabase(const ApiRequest& request, ApiContext& context);

// frontends_resource.cpp
ApiResult listFrontends(const ApiRequest& request, ApiContext& context);
ApiResult createFrontend(const ApiRequest& request, ApiContext& context);
ApiResult showFrontend(const ApiRequest& request, ApiContext& context);
ApiResult updateFrontend(const ApiRequest& request, ApiContext& context);
ApiResult deleteFrontend(const ApiRequest& request, ApiContext& context);

// backends_resource.cpp
ApiResult listBackends(const ApiRequest& request, ApiContext& context);
ApiResult createBackend(const ApiRequest& request, ApiContext& context);
ApiResult showBackend(const ApiRequest& request, ApiContext& context);
ApiResult updateBackend(const ApiRequest& request, ApiContext& context);
ApiResult deleteBackend(const ApiRequest& request, ApiContext& context);

// meetings_resource.cpp
ApiResult listMeetings(const ApiRequest& request, ApiContext& context);
ApiResult showMeeting(const ApiRequest& request, ApiContext& context);
ApiResult updateMeeting(const ApiRequest& request, ApiContext& context);
ApiResult deleteMeeting(const ApiRequest& request, ApiContext& context);

// commands_resource.cpp
ApiResult listCommands(const ApiRequest& request, ApiContext& context);
ApiResult createCommand(const ApiRequest& request, ApiContext& context);
ApiResult showCommand(const ApiRequest& request, ApiContext& context);

// recordings_resource.cpp
ApiResult listRecordings(const ApiRequest& request, ApiContext& context);
ApiResult showRecording(const ApiRequest& request, ApiContext& context);
ApiResult setRecordingVisibility(const ApiRequest& request, ApiContext& context);
ApiResult importRecording(const ApiRequest& request, ApiContext& context);
ApiResult reindexRecordings(const ApiRequest& request, ApiContext& context);

// callbacks_resource.cpp
ApiResult listCallbacks(const ApiRequest& request, ApiContext& context);
ApiResult retryCallback(const ApiRequest& request, ApiContext& context);

// agent_resource.cpp
ApiResult agentBackend(const ApiRequest& request, ApiContext& context);
ApiResult agentHeartbeat(const ApiRequest& request, ApiContext& context);
ApiResult agentRpc(const ApiRequest& request, ApiContext& context);

}  // namespace b3s::core::api
