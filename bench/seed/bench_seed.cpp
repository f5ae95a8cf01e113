// b3s_bench_seed: registers the bench's frontends and backends through the store, the way an
// operator's tool would until the REST API exists. Works on both connectors.
//
//   b3s_bench_seed DB_URL < commands
//
// One command per line on stdin:
//   frontend <key> <secret> [required_tag,…]
//   backend  <api base url> <secret> [tag,…]
//   recordings <frontend key> <count>   (indexed recordings of a meeting "bench-<i % 50>")
// Prints one line per command: "<kind> <id> <key or url>" (recordings: "recordings <count> <key>").

#include "bbb/meeting_id_codec.hpp"
#include "store/store.hpp"
#include "util/system_clock.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

std::vector<std::string> splitCommas(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string jsonStringList(const std::vector<std::string>& items) {
    // Tags are plain words here ([A-Za-z0-9_-]); the bench never writes anything to escape.
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\"" : "\"") + items[i] + "\"";
    return out + "]";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: b3s_bench_seed DB_URL < commands\n";
        return 2;
    }
    b3s::core::SystemClock clock;
    b3s::core::store::StoreOptions options;
    options.url = argv[1];
    options.pool_size = 2;
    try {
        auto store = b3s::core::store::openStore(options, clock);
        std::string line;
        while (std::getline(std::cin, line)) {
            std::stringstream words(line);
            std::string kind, name, secret, tags;
            words >> kind >> name >> secret >> tags;
            if (kind.empty()) continue;
            if (kind == "frontend") {
                b3s::core::store::Frontend f;
                f.key = name;
                f.secret = secret;
                const auto required = splitCommas(tags);
                if (!required.empty()) f.settings_json = "{\"required_tags\":" + jsonStringList(required) + "}";
                const auto row = store->insertFrontend(f);
                std::cout << "frontend " << row.id << ' ' << row.key << '\n';
            } else if (kind == "backend") {
                b3s::core::store::Backend b;
                b.host = name;
                b.secret = secret;
                b.admin_state = b3s::core::store::AdminState::Ready;
                b.tags = splitCommas(tags);
                const auto row = store->insertBackend(b);
                std::cout << "backend " << row.id << ' ' << row.host << '\n';
            } else if (kind == "recordings") {
                const auto frontend = store->findFrontendByKey(name);
                if (!frontend) throw std::runtime_error("no frontend " + name);
                const int count = std::stoi(secret);
                for (int i = 0; i < count; ++i) {
                    b3s::core::store::Recording r;
                    char id[64];
                    std::snprintf(id, sizeof id, "%040x-%d", i, 1'700'000'000 + i);
                    r.record_id = id;
                    r.frontend_id = frontend->id;
                    r.meeting_id = b3s::core::bbb::encodeMeetingId(name, "bench-" + std::to_string(i % 50));
                    r.internal_meeting_id = r.record_id;
                    r.name = "Bench room " + std::to_string(i % 50);
                    r.start_time = 1'700'000'000'000LL + i * 60'000LL;
                    r.end_time = r.start_time + 3'600'000;
                    r.participants = 5;
                    r.metadata = {{"bbb-origin", "Greenlight"}, {"gl-listed", "false"}, {"meetingname", r.name}};
                    r.formats_json =
                        "[{\"type\":\"presentation\",\"url\":\"https://bbb1.example.org/playback/"
                        "presentation/2.3/" +
                        r.record_id + "\",\"processing_time\":5000,\"length\":60,\"preview\":[]}]";
                    store->upsertRecording(r);
                }
                std::cout << "recordings " << count << ' ' << name << '\n';
            } else {
                std::cerr << "b3s_bench_seed: unknown command: " << line << '\n';
                return 2;
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "b3s_bench_seed: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
