package dev.vae.cli;

import dev.vae.core.kernel.Kernels;
import dev.vae.core.kernel.MatrixKernels;
import dev.vae.core.kernel.Simd;
import dev.vae.train.TrainingConfig;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vae} command: variational autoencoders for anomaly detection. */
// OptionWording: how a subcommand words a shared option (SharedOptions) its own way.
@Command(name = "vae", mixinStandardHelpOptions = true, versionProvider = VaeCommand.Version.class,
        resourceBundle = "dev.vae.cli.OptionWording",
        description = "Variational autoencoders for anomaly detection: train on mostly-normal rows, score new rows "
                + "by negative ELBO (nats, higher = more anomalous), flag those above a fitted threshold.",
        subcommands = {TrainCommand.class, ScoreCommand.class, StreamCommand.class, EvaluateCommand.class, EncodeCommand.class,
                SampleCommand.class, DemoCommand.class, ReportCommand.class, ExportOnnxCommand.class, ImportOnnxCommand.class,
                CommandLine.HelpCommand.class})
public final class VaeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line, with one-line error reporting. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new VaeCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose"));
            PrintWriter err = commandLine.getErr();
            err.println(commandLine.getCommandName() + ": error: " + Errors.describe(ex));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return Errors.exitCode(ex);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandName() + ": error: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            c.getErr().flush();
            return 2;
        });
        return cl;
    }

    /** Prints the version and the numeric backend in use. */
    public static final class Version implements CommandLine.IVersionProvider {
        private static String kernels() {
            MatrixKernels best = Kernels.best();
            String training = best.forTraining() == best ? "training: portable Java"
                    : "training: " + best.forTraining().name() + " with " + best.forTraining().threadsPerCall()
                    + " thread(s) per call";
            return best.name() + " (scoring: portable Java, batch-independent; " + training + "; default trainer threads: "
                    + TrainingConfig.defaultThreads() + ")";
        }

        @Override
        public String[] getVersion() {
            String v = VaeCommand.class.getPackage().getImplementationVersion();
            return new String[] {"vae " + (v == null ? "dev" : v),
                    "kernels: " + kernels(),
                    "element kernels (likelihoods, tanh, matrix blocks; the same bits on every path): " + Simd.describe(),
                    "java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
