package dev.lenet5.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lenet5.app.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class RecipeTest {

    @TempDir
    Path tmp;

    @Test
    void namesParseInAnyCaseAndUnknownOnesAreListed() {
        assertEquals(Recipe.BEST, Recipe.parse("BEST"));
        assertEquals(Recipe.SEED, Recipe.parse(" seed "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recipe.parse("fastest"));
        assertEquals("--recipe must be seed, best or fast, got 'fastest'", e.getMessage());
    }

    @Test
    void everyRecipeValueFitsTheOptionItSets() {
        CommandLine.Model.CommandSpec train = new CommandLine(new TrainCommand()).getCommandSpec();
        for (Recipe r : Recipe.values()) {
            for (Map.Entry<String, Object> option : r.options().entrySet()) {
                OptionSpec spec = train.findOption(option.getKey());
                assertNotNull(spec, r + " sets " + option.getKey() + ", which train does not have");
                Class<?> type = spec.type().isPrimitive() ? boxed(spec.type()) : spec.type();
                assertTrue(type.isInstance(option.getValue()), r + ": " + option.getKey() + " takes a " + type.getSimpleName());
            }
        }
    }

    private static Class<?> boxed(Class<?> primitive) {
        return primitive == int.class ? Integer.class : primitive == double.class ? Double.class
                : primitive == long.class ? Long.class : Boolean.class;
    }

    @Test
    void bestSetsItsOptionsAndExplicitOptionsWin() throws IOException {
        TrainConfig config = trainOneEpoch("best", "recipe best: --augment affine+elastic:alpha=20,sigma=4"
                + " --augment-ease 15 --batch-size 60 --schedule cosine --lr 0.003\n");
        assertEquals("affine+elastic:alpha=20,sigma=4", config.augment());
        assertEquals(15, config.augmentEase(), "more eased epochs than the one trained: the fade began before it");
        assertEquals(60, config.batchSize());
        assertEquals("cosine", config.schedule());
        assertEquals(3e-3, config.lr());
        assertEquals(1, config.epochs(), "the command line's --epochs overrides the recipe's 60");
    }

    @Test
    void fastSetsItsOptions() throws IOException {
        TrainConfig config = trainOneEpoch("fast", "recipe fast: --batch-size 60 --schedule onecycle --lr 0.004"
                + " --label-smoothing 0.1 --ema 0.995\n");
        assertEquals(60, config.batchSize());
        assertEquals("onecycle", config.schedule());
        assertEquals(4e-3, config.lr());
        assertEquals(0.1, config.labelSmoothing());
        assertEquals(0.995, config.ema());
        assertEquals(1, config.epochs(), "the command line's --epochs overrides the recipe's 3");
    }

    /** A tiny one-epoch run of the recipe, which must say what it set; the settings its checkpoint stored. */
    private TrainConfig trainOneEpoch(String recipe, String said) throws IOException {
        Path out = tmp.resolve(recipe);
        AppRun run = AppRun.of("train", "--recipe", recipe, "--epochs", "1", "--train-images", "240", "--val-images",
                "120", "--test-images", "120", "--out", out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains(said), run::toString);
        return TrainConfig.fromCheckpoint(out.resolve(Trainer.CHECKPOINT_FILE));
    }

    @Test
    void theSeedRecipeChangesNothingAndSaysNothing() {
        AppRun run = AppRun.of("train", "--recipe", "seed", "--epochs", "1", "--train-images", "120", "--val-images",
                "120", "--test-images", "120", "--out", tmp.resolve("seed").toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(run.out().contains("recipe"), run::toString);
    }

    @Test
    void anUnknownRecipeIsAUsageError() {
        AppRun run = AppRun.of("train", "--recipe", "fastest", "--out", tmp.resolve("never").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--recipe must be seed, best or fast, got 'fastest'"), run::toString);
    }
}
