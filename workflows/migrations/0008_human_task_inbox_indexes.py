# Indexes for the reviewers' inbox (issue 4), measured with `manage.py bench_inbox`:
# - human_task_done_due: one person's done tab, counted index-only and read in due
#   order;
# - human_task_queue_due: the unclaimed queue per group, counted index-only;
# - human_task_queue_order: the unclaimed queue in due order, so a page is read
#   from the index and the scan stops after 25 rows.
# The two queue indexes are partial (open, unassigned rows only: a small share of a
# table that keeps every completed task). HumanTask.Meta.indexes must list the same
# three indexes (see the inbox report).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflows', '0007_task_object_permissions'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='humantask',
            index=models.Index(fields=['completed_by', 'status', 'due_at'], name='human_task_done_due'),
        ),
        migrations.AddIndex(
            model_name='humantask',
            index=models.Index(condition=models.Q(('assignee__isnull', True), ('status', 'open')), fields=['candidate_group', 'due_at'], name='human_task_queue_due'),
        ),
        migrations.AddIndex(
            model_name='humantask',
            index=models.Index(condition=models.Q(('assignee__isnull', True), ('status', 'open')), fields=['due_at', 'id'], name='human_task_queue_order'),
        ),
    ]
