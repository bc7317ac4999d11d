"""Report jobs belong to the top layer now (`overview.ReportJob`, same table): remove the model
from the core's state only; the table and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_import_batch_labels"),
        ("overview", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReportJob")],
            database_operations=[],
        ),
    ]
