#include "recordings/recording_errors.hpp"

#include <string>

namespace b3s::core::recordings {

bbb::ApiError invalidOffset() {
    return bbb::ApiError::validationError("The parameter offset must be an integer greater than or equal to 0.");
}

bbb::ApiError invalidLimit() {
    return bbb::ApiError::validationError("The parameter limit must be an integer between 1 and 100.");
}

bbb::ApiError tooManyIds(std::string_view param, std::size_t max) {
    std::string message = "The parameter ";
    message.append(param).append(" lists more than ").append(std::to_string(max)).append(" ids.");
    return bbb::ApiError::validationError(message);
}

bbb::ApiError textTrackParamError(std::string_view name) {
    std::string message = "Missing param ";
    message.append(name).append(".");
    return {"paramError", message};
}

bbb::ApiError invalidKind() {
    return {"invalidKind", "The kind parameter is not set to a permitted value."};
}

bbb::ApiError invalidLang() {
    return {"invalidLang", "The lang parameter is not a well-formed language tag."};
}

bbb::ApiError emptyUploadedTextTrack() {
    return {"empty_uploaded_text_track", "Empty uploaded text track."};
}

}  // namespace b3s::core::recordings
