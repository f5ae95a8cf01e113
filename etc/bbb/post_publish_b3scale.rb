#!/usr/bin/ruby
# frozen_string_literal: true
#
# b3scale's post_publish hook for BigBlueButton nodes. Install it as
#   /usr/local/bigbluebutton/core/scripts/post_publish/post_publish_b3scale.rb
# BBB runs it once per published format with `-m <recordID> -f <format>`.
#
# What it does, with the settings from /etc/default/b3scale-hook (KEY=value lines):
#  1. B3SCALE_INBOX set (a directory b3scaled's recordings plugin reads as its inbox, e.g. an
#     NFS mount): copies /var/bigbluebutton/published/<format>/<recordID> there, first under
#     a hidden name, then renames it into place, so b3scaled never sees half a copy.
#  2. B3SCALE_URL and B3SCALE_TOKEN_FILE set: posts the format's metadata.xml to
#     <B3SCALE_URL>/api/v1/recordings-import with the token (a node or admin token), so the
#     recording is listed at once rather than at b3scaled's next inbox scan.
# Either may be left out (shared storage with the inbox watcher alone; or a BBB published
# tree that b3scaled reads directly). Exit status: 0 when every configured step worked.
# Logs to /var/log/bigbluebutton/post_publish.log. Never prints the token.

require 'fileutils'
require 'logger'
require 'net/http'
require 'optparse'
require 'uri'

CONFIG_FILE = ENV.fetch('B3SCALE_HOOK_CONFIG', '/etc/default/b3scale-hook')
PUBLISHED = ENV.fetch('B3SCALE_HOOK_PUBLISHED', '/var/bigbluebutton/published')
LOG_FILE = ENV.fetch('B3SCALE_HOOK_LOG', '/var/log/bigbluebutton/post_publish.log')
NAME = /\A[A-Za-z0-9_-]{1,200}\z/.freeze

def read_config(path)
  return {} unless File.readable?(path)

  File.readlines(path, chomp: true).each_with_object({}) do |line, config|
    next if line.strip.empty? || line.lstrip.start_with?('#')

    key, value = line.split('=', 2)
    config[key.strip] = value.to_s.strip.delete_prefix('"').delete_suffix('"') if value
  end
end

def copy_into_inbox(source, inbox, format, record_id, log)
  target_dir = File.join(inbox, format)
  FileUtils.mkdir_p(target_dir, mode: 0o755)
  staging = File.join(target_dir, ".#{record_id}.b3s-hook")
  target = File.join(target_dir, record_id)
  FileUtils.rm_rf(staging)
  FileUtils.cp_r(source, staging, preserve: true)
  FileUtils.rm_rf(target)
  File.rename(staging, target)
  log.info("b3scale: copied #{format}/#{record_id} into the inbox #{inbox}")
  true
rescue SystemCallError, IOError => e
  FileUtils.rm_rf(staging) if staging
  log.error("b3scale: copying #{format}/#{record_id} into #{inbox} failed: #{e.message}")
  false
end

def post_metadata(url, token, metadata_path, format, record_id, log)
  uri = URI.join(url.end_with?('/') ? url : "#{url}/", 'api/v1/recordings-import')
  request = Net::HTTP::Post.new(uri)
  request['Authorization'] = "Bearer #{token}"
  request['Content-Type'] = 'application/xml'
  request.body = File.binread(metadata_path)
  response = Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == 'https',
                                                 open_timeout: 10, read_timeout: 60) do |http|
    http.request(request)
  end
  ok = response.is_a?(Net::HTTPSuccess)
  log.send(ok ? :info : :error,
           "b3scale: import of #{format}/#{record_id} answered HTTP #{response.code}")
  ok
rescue StandardError => e
  log.error("b3scale: import of #{format}/#{record_id} failed: #{e.class}: #{e.message}")
  false
end

options = {}
OptionParser.new do |o|
  o.on('-m', '--meeting-id ID') { |v| options[:record_id] = v }
  o.on('-f', '--format FORMAT') { |v| options[:format] = v }
end.parse!(ARGV)

log = Logger.new(File.writable?(File.dirname(LOG_FILE)) ? LOG_FILE : $stderr)
record_id = options[:record_id].to_s
format = (options[:format] || 'presentation').to_s
unless NAME.match?(record_id) && NAME.match?(format)
  log.error("b3scale: refusing record id #{record_id.inspect} / format #{format.inspect}")
  exit 2
end

config = read_config(CONFIG_FILE)
source = File.join(PUBLISHED, format, record_id)
metadata = File.join(source, 'metadata.xml')
unless File.file?(metadata)
  log.error("b3scale: #{metadata} is missing")
  exit 1
end

ok = true
inbox = config['B3SCALE_INBOX'].to_s
ok &&= copy_into_inbox(source, inbox, format, record_id, log) unless inbox.empty?

url = config['B3SCALE_URL'].to_s
token_file = config['B3SCALE_TOKEN_FILE'].to_s
unless url.empty? || token_file.empty?
  token = File.read(token_file).strip
  ok &&= post_metadata(url, token, metadata, format, record_id, log)
end
exit(ok ? 0 : 1)
