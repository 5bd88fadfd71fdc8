from django.db import migrations, models


class Migration(migrations.Migration):
    """Existing pull requests start without stored HTML: each is rendered once, when first shown."""

    dependencies = [
        ("pulls", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pullrequest",
            name="body_html",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="The body as sanitized HTML, rendered from the body of SHA-256 body_html_digest.",
            ),
        ),
        migrations.AddField(
            model_name="pullrequest",
            name="body_html_digest",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
    ]
