package vecmlp.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine.ParameterException;
import vecmlp.io.MalformedDataException;

/**
 * Entry point of {@code vecmlp-examples.jar}: {@code train} (the default, the main job), {@code calculus},
 * {@code xor}, {@code help}. See {@link Options}.
 */
public final class Main {

    private Main() {
    }

    /** Runs a command and exits with 0 on success, 1 on a failure, 2 on a bad command line. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err, System.console() != null);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs a command.
     *
     * @param terminal whether {@code out} is a terminal (progress redrawn in place) or not (plain lines)
     * @return the exit status: 0 success, 1 failure (bad data, I/O), 2 bad command line
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        Preload preload = Preload.start(args);
        Options o;
        try {
            o = Options.parse(args);
        } catch (ParameterException e) {
            err.println("error: " + Options.describe(e) + "; --help lists the commands and options");
            return 2;
        }
        try {
            switch (o.command) {
                case HELP:
                    out.print(Options.usage());
                    return 0;
                case CALCULUS:
                    Calculus.run(out);
                    return 0;
                case XOR:
                    Xor.run(o.seed, out);
                    return 0;
                default:
                    TrainCommand.run(o, out, terminal, preload);
                    return 0;
            }
        } catch (NoSuchFileException e) {
            out.flush();
            err.println("error: no such file: " + e.getFile());
            return 1;
        } catch (MalformedDataException | IllegalArgumentException | IllegalStateException e) {
            out.flush();
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            out.flush();
            err.println("error: " + e);
            return 1;
        }
    }
}
