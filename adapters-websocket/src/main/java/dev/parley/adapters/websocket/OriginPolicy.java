package dev.parley.adapters.websocket;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open {@code /ws}. A handshake without {@code Origin} (a native
 * client) is not a browser's and is not refused for it.
 */
final class OriginPolicy {
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean any;
    private final Set<String> allowed;

    OriginPolicy(List<String> allowedOrigins) {
        this.any = allowedOrigins.contains("*");
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param origin the {@code Origin} header, or null
     * @param host   the request's {@code Host} header, to recognise the server's own origin
     */
    boolean permits(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String normalised = normalise(origin);
        if (!allowed.isEmpty()) {
            return allowed.contains(normalised);
        }
        try {
            URI uri = URI.create(normalised);
            String originHost = uri.getHost();
            if (originHost == null) {
                return false;
            }
            if (LOOPBACK_HOSTS.contains(originHost.toLowerCase(Locale.ROOT))) {
                return true;
            }
            String authority = uri.getRawAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
