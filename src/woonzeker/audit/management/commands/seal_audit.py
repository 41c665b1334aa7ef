from django.core.management.base import BaseCommand

from woonzeker.audit.seals import seal_path, seal_trail


class Command(BaseCommand):
    help = "Chain the audit entries written since the last pass and seal the chain's head (AUDIT_SEAL_PATH)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead, queue the recurring task that does this every AUDIT_SEAL_INTERVAL seconds "
            "(run by manage.py db_worker); safe to repeat. manage.py schedule_tasks queues it too.",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            from woonzeker.audit.tasks import schedule as queue

            queued = queue()
            self.stdout.write("The audit chainer is queued." if queued else "The audit chainer was already queued.")
            return
        chained, seal = seal_trail()
        message = f"{chained} audit entries chained."
        if seal is not None:
            message += f" Sealed at place {seal['position']} ({seal['count']} entries) in {seal_path()}."
        else:
            message += " The head was sealed already."
        self.stdout.write(self.style.SUCCESS(message))
