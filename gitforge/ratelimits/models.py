from django.db import models


class Counter(models.Model):
    """One counter of the database cache (gitforge.ratelimits.cache): a rate-limit window's
    count for one caller, shared by every process using the database."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.BigIntegerField()
    expires = models.FloatField(null=True, help_text="Unix time; null never expires.")

    class Meta:
        indexes = [models.Index(fields=["expires"], name="counter_expires_idx")]

    def __str__(self):
        return f"{self.cache_key} = {self.value}"
