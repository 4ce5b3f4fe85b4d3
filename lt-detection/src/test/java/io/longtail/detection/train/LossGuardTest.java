package io.longtail.detection.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LossGuardTest {
  private static final Path LAST = Path.of("/runs/a/model_0001000.ckpt");

  @Test
  void namesTheIterationTheTermAndTheLastGoodCheckpoint() {
    LossGuard guard = new LossGuard(() -> Optional.of(LAST));
    LossTerms losses =
        LossTerms.of("loss_rpn_cls", 0.3, "loss_rpn_box", Double.NaN, "loss_cls", 1.0);
    NonFiniteLossException e =
        catchThrowableOfType(NonFiniteLossException.class, () -> guard.check(1234, losses));
    assertThat(e)
        .hasMessage("loss_rpn_box is NaN at iteration 1234; the last good checkpoint is " + LAST);
    assertThat(e.iteration()).isEqualTo(1234);
    assertThat(e.term()).isEqualTo("loss_rpn_box");
    assertThat(e.lastCheckpoint()).contains(LAST);
  }

  @Test
  void reportsInfinityAndTheAbsenceOfACheckpoint() {
    LossGuard guard = new LossGuard(Optional::empty);
    assertThatThrownBy(
            () -> guard.check(7, LossTerms.of("loss_cls", Double.NEGATIVE_INFINITY, "loss_box", 1)))
        .isInstanceOf(NonFiniteLossException.class)
        .hasMessage("loss_cls is -Infinity at iteration 7; no checkpoint has been written yet");
  }

  @Test
  void catchesAnOverflowingTotalAndNamedValuesSuchAsTheGradientNorm() {
    LossGuard guard = new LossGuard(Optional::empty);
    assertThatThrownBy(
            () -> guard.check(3, LossTerms.of("a", Double.MAX_VALUE, "b", Double.MAX_VALUE)))
        .hasMessageStartingWith("total_loss is +Infinity at iteration 3");
    assertThatThrownBy(() -> guard.check(4, "grad_norm", Double.NaN))
        .hasMessageStartingWith("grad_norm is NaN at iteration 4");
    assertThatCode(() -> guard.check(5, LossTerms.of("loss_cls", 0.0, "loss_box", 12.5)))
        .doesNotThrowAnyException();
  }

  @Test
  void lossTermsKeepTheirOrderAndRejectBadNames() {
    LossTerms t = LossTerms.of("loss_rpn_cls", 1, "loss_cls", 2.5);
    assertThat(t.names()).containsExactly("loss_rpn_cls", "loss_cls");
    assertThat(t.total()).isEqualTo(3.5);
    assertThat(t.value("loss_cls")).isEqualTo(2.5);
    assertThatThrownBy(() -> LossTerms.of("a", 1, "a", 2))
        .hasMessage("loss term names must be unique, got a twice");
    assertThatThrownBy(() -> LossTerms.of("lr", 1)).hasMessageContaining("must not be one of");
    assertThatThrownBy(() -> LossTerms.of("loss cls", 1))
        .hasMessage("loss term name must match [A-Za-z][A-Za-z0-9_]*, got loss cls");
    assertThatThrownBy(() -> LossTerms.of("a", "1"))
        .hasMessageContaining("must alternate String and Number");
    assertThatThrownBy(() -> t.value("loss_box"))
        .hasMessage("no loss term named loss_box in [loss_rpn_cls, loss_cls]");
  }
}
