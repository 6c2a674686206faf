package dev.parley.bootstrap;

import dev.parley.adapters.postgres.PostgresSettings;
import dev.parley.adapters.websocket.OutboundLimits;
import dev.parley.domain.Limits;
import dev.parley.domain.NodeId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: every setting is a flag and a {@code PARLEY_*} environment variable; flags win. */
@Command(name = "parley-server", mixinStandardHelpOptions = true, version = "Parley 0.1.0, protocol 1",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Parley: a real-time messaging server (rooms, presence, typing, reliable delivery) over WebSockets.",
            "With no settings it runs one node on 127.0.0.1:8080, in memory, with insecure-dev auth.",
            ""
        },
        footer = {"", "Every option can also be set by the environment variable shown in its description."})
public final class ParleyCommand {

    @Option(names = "--host", defaultValue = "${env:PARLEY_HOST:-127.0.0.1}",
            description = "Listen address. PARLEY_HOST. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "${env:PARLEY_PORT:-8080}",
            description = "Listen port (0: any free port). PARLEY_PORT. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--node-id", defaultValue = "${env:PARLEY_NODE_ID}",
            description = "This node's name in a cluster. PARLEY_NODE_ID. Default: host name + random suffix")
    String nodeId;

    @Option(names = "--postgres-url", defaultValue = "${env:PARLEY_POSTGRES_URL}",
            description = "JDBC URL of the history store, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres."
                    + " PARLEY_POSTGRES_URL. Default: history in memory")
    String postgresUrl;

    @Option(names = "--postgres-writers", defaultValue = "${env:PARLEY_POSTGRES_WRITERS}",
            description = "Group-commit writers of the PostgreSQL history, each with its own connection, over"
                    + " disjoint sets of rooms (a room always goes to the same one), 1 to "
                    + PostgresSettings.MAX_WRITERS + ". PARLEY_POSTGRES_WRITERS. Default: "
                    + PostgresSettings.DEFAULT_WRITERS)
    String postgresWriters;

    @Option(names = "--redis-url", defaultValue = "${env:PARLEY_REDIS_URL}",
            description = "e.g. redis://127.0.0.1:6379: fan-out and presence across nodes (needs --postgres-url)."
                    + " PARLEY_REDIS_URL. Default: single node")
    String redisUrl;

    @Option(names = "--redis-cluster", defaultValue = "${env:PARLEY_REDIS_CLUSTER}",
            description = "Comma list of host:port seeds of a Redis Cluster (Redis 7+), instead of --redis-url:"
                    + " fan-out over sharded pub/sub, presence spread over the shards (needs --postgres-url)."
                    + " PARLEY_REDIS_CLUSTER. Default: unset")
    String redisCluster;

    @Option(names = "--jwt-secret", defaultValue = "${env:PARLEY_JWT_SECRET}",
            description = "HS256 key, at least 32 bytes; turns insecure-dev off. PARLEY_JWT_SECRET")
    String jwtSecret;

    @Option(names = "--jwt-public-key", defaultValue = "${env:PARLEY_JWT_PUBLIC_KEY}",
            description = "Path of a PEM RSA/EC public key for RS256/ES256 tokens. PARLEY_JWT_PUBLIC_KEY")
    Path jwtPublicKey;

    @Option(names = "--admin-key", defaultValue = "${env:PARLEY_ADMIN_KEY}",
            description = "Bearer key of /api/*; unset: /api/* answers 401. PARLEY_ADMIN_KEY")
    String adminKey;

    @Option(names = "--allowed-origins", defaultValue = "${env:PARLEY_ALLOWED_ORIGINS}",
            description = "Comma list of origins allowed to open /ws; * for any. PARLEY_ALLOWED_ORIGINS."
                    + " Default: the server's own origin and any localhost")
    String allowedOrigins;

    @Option(names = "--heartbeat-interval-ms", defaultValue = "${env:PARLEY_HEARTBEAT_INTERVAL_MS:-25000}",
            description = "Server ping interval. PARLEY_HEARTBEAT_INTERVAL_MS. Default: ${DEFAULT-VALUE}")
    long heartbeatIntervalMs;

    @Option(names = "--heartbeat-timeout-ms", defaultValue = "${env:PARLEY_HEARTBEAT_TIMEOUT_MS:-20000}",
            description = "A connection silent for interval + timeout is closed. PARLEY_HEARTBEAT_TIMEOUT_MS."
                    + " Default: ${DEFAULT-VALUE}")
    long heartbeatTimeoutMs;

    @Option(names = "--presence-ttl-ms", defaultValue = "${env:PARLEY_PRESENCE_TTL_MS:-15000}",
            description = "A dead node's users leave presence within this. PARLEY_PRESENCE_TTL_MS."
                    + " Default: ${DEFAULT-VALUE}")
    long presenceTtlMs;

    @Option(names = "--rate-per-second", defaultValue = "${env:PARLEY_RATE_PER_SECOND:-20}",
            description = "Frames per second per connection. PARLEY_RATE_PER_SECOND. Default: ${DEFAULT-VALUE}")
    int ratePerSecond;

    @Option(names = "--rate-burst", defaultValue = "${env:PARLEY_RATE_BURST:-40}",
            description = "Burst of frames per connection. PARLEY_RATE_BURST. Default: ${DEFAULT-VALUE}")
    int rateBurst;

    @Option(names = "--tls-cert", defaultValue = "${env:PARLEY_TLS_CERT}",
            description = "PEM certificate chain: serve https and wss. PARLEY_TLS_CERT")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:PARLEY_TLS_KEY}",
            description = "PEM (PKCS#8) private key of --tls-cert. PARLEY_TLS_KEY")
    Path tlsKey;

    @Option(names = "--max-connections", defaultValue = "${env:PARLEY_MAX_CONNECTIONS:-100000}",
            description = "Open connections this node accepts before answering 503. PARLEY_MAX_CONNECTIONS."
                    + " Default: ${DEFAULT-VALUE}")
    int maxConnections;

    @Option(names = "--history-retention", defaultValue = "${env:PARLEY_HISTORY_RETENTION:-10000}",
            description = "Messages kept per room by the history (in memory; in PostgreSQL, older ones are"
                    + " pruned every minute). PARLEY_HISTORY_RETENTION. Default: ${DEFAULT-VALUE}")
    int historyRetention;

    @Option(names = "--history-max-age", defaultValue = "${env:PARLEY_HISTORY_MAX_AGE}",
            description = "Messages older than this are dropped from the history (in PostgreSQL, pruned every"
                    + " minute): 90s, 30m, 12h, 7d or ISO-8601 like PT36H; at least 1s. PARLEY_HISTORY_MAX_AGE."
                    + " Default: any age")
    String historyMaxAge;

    @Option(names = "--outbound-max-frames", defaultValue = "${env:PARLEY_OUTBOUND_MAX_FRAMES:-1000}",
            description = "Frames queued for one connection before it is closed with 1013."
                    + " PARLEY_OUTBOUND_MAX_FRAMES. Default: ${DEFAULT-VALUE}")
    int outboundMaxFrames;

    @Option(names = "--outbound-max-bytes", defaultValue = "${env:PARLEY_OUTBOUND_MAX_BYTES:-4194304}",
            description = "Bytes queued for one connection before it is closed with 1013."
                    + " PARLEY_OUTBOUND_MAX_BYTES. Default: ${DEFAULT-VALUE}")
    long outboundMaxBytes;

    @Option(names = "--max-text-length", defaultValue = "${env:PARLEY_MAX_TEXT_LENGTH:-4000}",
            description = "Code points of a message text. PARLEY_MAX_TEXT_LENGTH. Default: ${DEFAULT-VALUE}")
    int maxTextLength;

    @Option(names = "--max-data-bytes", defaultValue = "${env:PARLEY_MAX_DATA_BYTES:-8192}",
            description = "Bytes of a message's data as JSON. PARLEY_MAX_DATA_BYTES. Default: ${DEFAULT-VALUE}")
    int maxDataBytes;

    @Option(names = "--max-rooms-per-connection", defaultValue = "${env:PARLEY_MAX_ROOMS_PER_CONNECTION:-100}",
            description = "Rooms one connection may join. PARLEY_MAX_ROOMS_PER_CONNECTION. Default: ${DEFAULT-VALUE}")
    int maxRoomsPerConnection;

    @Option(names = "--max-connections-per-user", defaultValue = "${env:PARLEY_MAX_CONNECTIONS_PER_USER:-10}",
            description = "Connections one user may hold. PARLEY_MAX_CONNECTIONS_PER_USER. Default: ${DEFAULT-VALUE}")
    int maxConnectionsPerUser;

    @Option(names = "--max-members-per-room", defaultValue = "${env:PARLEY_MAX_MEMBERS_PER_ROOM:-10000}",
            description = "Distinct users in one room. PARLEY_MAX_MEMBERS_PER_ROOM. Default: ${DEFAULT-VALUE}")
    int maxMembersPerRoom;

    @Option(names = "--pusher-app-id", defaultValue = "${env:PARLEY_PUSHER_APP_ID}",
            description = "The Pusher front door's app id (in /apps/{id}/... paths). PARLEY_PUSHER_APP_ID."
                    + " With --pusher-key and --pusher-secret: all three or none. Default: off")
    String pusherAppId;

    @Option(names = "--pusher-key", defaultValue = "${env:PARLEY_PUSHER_KEY}",
            description = "The Pusher app key (in /app/{key} and in signatures). PARLEY_PUSHER_KEY")
    String pusherKey;

    @Option(names = "--pusher-secret", defaultValue = "${env:PARLEY_PUSHER_SECRET}",
            description = "The Pusher app secret, at least 16 bytes: signs channels, sign-ins and API calls."
                    + " PARLEY_PUSHER_SECRET")
    String pusherSecret;

    static ParleyCommand parse(String... args) {
        ParleyCommand command = new ParleyCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    ParleyConfig toConfig() {
        return new ParleyConfig(
                host,
                port,
                NodeId.of(nodeId == null || nodeId.isBlank() ? defaultNodeId() : nodeId),
                blankToEmpty(postgresUrl),
                writers(postgresWriters),
                blankToEmpty(redisUrl),
                blankToEmpty(redisCluster),
                blankToEmpty(jwtSecret),
                Optional.ofNullable(jwtPublicKey),
                blankToEmpty(adminKey),
                allowedOrigins == null || allowedOrigins.isBlank()
                        ? List.of()
                        : Arrays.stream(allowedOrigins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                positiveMillis(heartbeatIntervalMs, "heartbeat interval"),
                positiveMillis(heartbeatTimeoutMs, "heartbeat timeout"),
                positiveMillis(presenceTtlMs, "presence TTL"),
                ratePerSecond,
                rateBurst,
                Optional.ofNullable(tlsCert),
                Optional.ofNullable(tlsKey),
                maxConnections,
                historyRetention,
                age(historyMaxAge),
                new OutboundLimits(outboundMaxFrames, outboundMaxBytes),
                limits(),
                pusher(),
                Duration.ofMillis(50),
                Duration.ofSeconds(8));
    }

    /** The Pusher app: all three settings or none; some of them is a mistake worth stopping for. */
    private Optional<PusherApp> pusher() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("PARLEY_PUSHER_APP_ID", pusherAppId);
        settings.put("PARLEY_PUSHER_KEY", pusherKey);
        settings.put("PARLEY_PUSHER_SECRET", pusherSecret);
        List<String> missing = settings.entrySet().stream()
                .filter(setting -> setting.getValue() == null || setting.getValue().isBlank())
                .map(Map.Entry::getKey).toList();
        if (missing.size() == settings.size()) {
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the Pusher front door needs PARLEY_PUSHER_APP_ID, PARLEY_PUSHER_KEY and "
                    + "PARLEY_PUSHER_SECRET together; missing: " + String.join(", ", missing));
        }
        return Optional.of(new PusherApp(pusherAppId.trim(), pusherKey.trim(), pusherSecret));
    }

    /** PARLEY_POSTGRES_WRITERS: a whole number from 1 to {@link PostgresSettings#MAX_WRITERS}; unset: the default. */
    static int writers(String value) {
        if (value == null || value.isBlank()) {
            return PostgresSettings.DEFAULT_WRITERS;
        }
        int writers;
        try {
            writers = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            writers = 0;
        }
        if (writers < 1 || writers > PostgresSettings.MAX_WRITERS) {
            throw new IllegalArgumentException("PARLEY_POSTGRES_WRITERS (--postgres-writers) must be a whole number "
                    + "from 1 to " + PostgresSettings.MAX_WRITERS + ", not '" + value + "'");
        }
        return writers;
    }

    private Limits limits() {
        Limits defaults = Limits.DEFAULTS;
        return new Limits(maxTextLength, maxDataBytes, defaults.maxDataDepth(),
                maxRoomsPerConnection, maxConnectionsPerUser, maxMembersPerRoom, defaults.defaultHistoryLimit(),
                defaults.maxHistoryLimit());
    }

    private static Optional<String> blankToEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A duration as people write it ({@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}) or as ISO-8601. */
    static Optional<Duration> age(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        Duration age;
        try {
            char unit = Character.toUpperCase(text.charAt(0)) == 'P' ? 'P' : text.charAt(text.length() - 1);
            age = switch (unit) {
                case 's' -> Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
                case 'm' -> Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
                case 'h' -> Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
                case 'd' -> Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1)));
                default -> Duration.parse(text);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("history max age '" + value
                    + "' is not a duration: write 90s, 30m, 12h, 7d or ISO-8601 like PT36H");
        }
        if (age.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("history max age must be at least 1s, not " + value);
        }
        return Optional.of(age);
    }

    private static Duration positiveMillis(long millis, String what) {
        if (millis < 1) {
            throw new IllegalArgumentException(what + " must be a positive number of milliseconds");
        }
        return Duration.ofMillis(millis);
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "parley";
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }

    static CommandLine commandLine() {
        return new CommandLine(new ParleyCommand());
    }
}
