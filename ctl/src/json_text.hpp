#pragma once
// JSON as b3scalectl reads and prints it. `--json` prints the API's answer itself, only
// re-indented: every key, number and escape stays as the server wrote it.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>

namespace b3s::ctl {

/// `json` re-indented with `indent` spaces per level, one member per line, a newline at the
/// end; empty objects and arrays stay `{}` / `[]`. Only whitespace outside strings changes.
/// Input that is not balanced JSON is returned as it is (plus a newline).
std::string prettyJson(std::string_view json, int indent = 2);

/// `json` without whitespace outside strings.
std::string compactJson(std::string_view json);

/// Parses JSON keeping the order of object members. Throws CtlError with `what` naming the
/// document ("the API's answer") when it is not JSON.
Poco::Dynamic::Var parseJson(std::string_view json, const std::string& what);

/// Parses a JSON object given on the command line (`-j`); throws UsageError naming `flag`
/// when it is not a JSON object.
Poco::JSON::Object::Ptr parseJsonObjectArgument(const std::string& text, const std::string& flag);

/// Serialises a value compactly (member order kept).
std::string toJson(const Poco::Dynamic::Var& value);

// Reading members of an answer without exceptions: absent, null or of another type gives
// the fallback.
std::string stringMember(const Poco::JSON::Object::Ptr& object, const std::string& key,
                         const std::string& fallback = "");
std::optional<std::string> optionalStringMember(const Poco::JSON::Object::Ptr& object, const std::string& key);
double numberMember(const Poco::JSON::Object::Ptr& object, const std::string& key, double fallback = 0);
bool boolMember(const Poco::JSON::Object::Ptr& object, const std::string& key, bool fallback = false);
Poco::JSON::Object::Ptr objectMember(const Poco::JSON::Object::Ptr& object, const std::string& key);
Poco::JSON::Array::Ptr arrayMember(const Poco::JSON::Object::Ptr& object, const std::string& key);

/// The value as an object / array, or nullptr.
Poco::JSON::Object::Ptr asObject(const Poco::Dynamic::Var& value);
Poco::JSON::Array::Ptr asArray(const Poco::Dynamic::Var& value);

}  // namespace b3s::ctl
