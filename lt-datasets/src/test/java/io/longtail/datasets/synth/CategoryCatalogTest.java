package io.longtail.datasets.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CategoryCatalogTest {

  @Test
  void idsFollowTheAlphabeticalOrderOfUniqueNames() {
    List<ShapeCategory> cats = CategoryCatalog.create(300, 0);
    assertThat(cats).hasSize(300);
    for (int i = 0; i < cats.size(); i++) {
      assertThat(cats.get(i).id()).isEqualTo(i + 1);
      if (i > 0) {
        assertThat(cats.get(i).name()).isGreaterThan(cats.get(i - 1).name());
      }
    }
    assertThat(cats.stream().map(ShapeCategory::rank).distinct().count()).isEqualTo(300);
  }

  @Test
  void everyTailCategoryHasAHeadSiblingOfTheSameShapeAndTextureAndACloseColour() {
    List<ShapeCategory> cats = CategoryCatalog.create(60, 4);
    Map<Integer, ShapeCategory> headByFamily =
        cats.stream()
            .filter(c -> c.rank() < 30)
            .collect(Collectors.toMap(ShapeCategory::family, Function.identity()));
    for (ShapeCategory tail : cats.stream().filter(c -> c.rank() >= 30).toList()) {
      ShapeCategory head = headByFamily.get(tail.family());
      assertThat(head).as(tail.name()).isNotNull();
      assertThat(head.shape()).isEqualTo(tail.shape());
      assertThat(head.texture()).isEqualTo(tail.texture());
      assertThat(tail.colourName()).isEqualTo("deep_" + head.colourName());
      int distance =
          Math.abs(head.colour().r() - tail.colour().r())
              + Math.abs(head.colour().g() - tail.colour().g())
              + Math.abs(head.colour().b() - tail.colour().b());
      assertThat(distance).isBetween(20, 260);
    }
  }

  @Test
  void theSeedShufflesTheCatalogue() {
    assertThat(CategoryCatalog.create(10, 1)).isEqualTo(CategoryCatalog.create(10, 1));
    assertThat(CategoryCatalog.create(10, 1)).isNotEqualTo(CategoryCatalog.create(10, 2));
  }

  @Test
  void tooManyCategoriesAreRejected() {
    assertThat(CategoryCatalog.maxCategories()).isGreaterThanOrEqualTo(300);
    assertThatThrownBy(() -> CategoryCatalog.create(CategoryCatalog.maxCategories() + 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("categories must be in [1, ");
  }
}
