package dev.parley.bootstrap;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code java -jar parley-server.jar [options]}: runs one Parley node until SIGTERM or SIGINT. */
public final class ParleyServer {
    private ParleyServer() {
    }

    public static void main(String[] args) {
        CommandLine commandLine = ParleyCommand.commandLine();
        PrintWriter err = commandLine.getErr();
        ParleyConfig config;
        try {
            CommandLine.ParseResult parsed = commandLine.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return;
            }
            config = ((ParleyCommand) commandLine.getCommand()).toConfig();
        } catch (CommandLine.ParameterException e) {
            err.println(e.getMessage());
            err.println("Try --help for the settings.");
            err.flush();
            System.exit(2);
            return;
        } catch (IllegalArgumentException e) {
            err.println("parley-server: " + e.getMessage());
            err.flush();
            System.exit(2);
            return;
        }
        HeapPolicy.apply();
        // Drain on SIGTERM/SIGINT and exit 0 (a default JVM exits 143 on SIGTERM). Installed
        // before the server starts, so that a signal during start-up is handled too.
        AtomicReference<RunningServer> running = new AtomicReference<>();
        SignalHandler drainAndExit = signal -> {
            RunningServer server = running.get();
            if (server != null) {
                server.close();
            }
            System.exit(0);
        };
        Signal.handle(new Signal("TERM"), drainAndExit);
        Signal.handle(new Signal("INT"), drainAndExit);
        try {
            running.set(RunningServer.start(config));
        } catch (RuntimeException e) {
            err.println("parley-server cannot start: " + e.getMessage());
            err.flush();
            System.exit(1);
        }
    }
}
