package dev.parley.adapters.websocket.auth;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open {@code /ws}. A handshake without {@code Origin} (a native
 * client) is not a browser's and is not refused for it.
 *
 * <p>{@link #loopbackOnly} is for {@code insecure-dev}, where whoever connects is whoever they
 * say: there the {@code Host} and any {@code Origin} must name the loopback interface, since a
 * page of another site whose name was rebound to 127.0.0.1 sends its own name in both.
 */
public final class OriginPolicy {
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean any;
    private final Set<String> allowed;
    private final boolean loopbackOnly;

    public OriginPolicy(List<String> allowedOrigins) {
        this(allowedOrigins, false);
    }

    private OriginPolicy(List<String> allowedOrigins, boolean loopbackOnly) {
        this.any = allowedOrigins.contains("*");
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
        this.loopbackOnly = loopbackOnly;
    }

    /** Only loopback host names, in {@code Host} and in {@code Origin}, whatever else is allowed. */
    public static OriginPolicy loopbackOnly() {
        return new OriginPolicy(List.of(), true);
    }

    /**
     * @param origin the {@code Origin} header, or null
     * @param host   the request's {@code Host} header, to recognise the server's own origin
     */
    public boolean permits(String origin, String host) {
        if (loopbackOnly) {
            return isLoopbackAuthority(host) && (origin == null || isLoopbackOrigin(origin));
        }
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

    private static boolean isLoopbackOrigin(String origin) {
        try {
            String host = URI.create(normalise(origin)).getHost();
            return host != null && LOOPBACK_HOSTS.contains(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code host} or {@code host:port} of a {@code Host} header names the loopback interface. */
    private static boolean isLoopbackAuthority(String authority) {
        if (authority == null) {
            return false;
        }
        String lower = authority.trim().toLowerCase(Locale.ROOT);
        int end = lower.startsWith("[") ? lower.indexOf(']') + 1 : lower.indexOf(':');
        String host = end <= 0 ? lower : lower.substring(0, end);
        String rest = end <= 0 ? "" : lower.substring(end);
        return LOOPBACK_HOSTS.contains(host) && (rest.isEmpty() || rest.matches(":[0-9]{1,5}"));
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
